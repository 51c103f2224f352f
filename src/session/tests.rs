//! Library tests of the session: edits, undo, review, consistency, disk — without egui.
