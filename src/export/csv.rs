//! CSV for spreadsheets: one row per figure with its value, the sentence it is in, status and
//! annotator. Written with the csv crate, every text field quoted (Chinese commas and quotes
//! stay inside their cell), with a UTF-8 byte-order mark so spreadsheet programs read Chinese.

use std::io::Write;

use super::{Item, last_change, sentence_of, value_fields};

/// Column names.
pub const HEADER: [&str; 18] = [
    "document",
    "label",
    "text",
    "value",
    "value_max",
    "unit",
    "approx",
    "sentence",
    "status",
    "provenance",
    "edited",
    "origin",
    "annotator",
    "by",
    "when",
    "start",
    "end",
    "fingerprint",
];

/// Writes the figures (spans whose label is a figure in `schema`).
pub fn write<I: std::borrow::Borrow<Item>>(
    items: impl IntoIterator<Item = I>,
    schema: &crate::schema::Schema,
    out: &mut dyn Write,
) -> Result<usize, csv::Error> {
    out.write_all("\u{feff}".as_bytes())?;
    let mut w = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::NonNumeric)
        .from_writer(out);
    w.write_record(HEADER)?;
    let mut rows = 0;
    for item in items {
        let item = item.borrow();
        for s in item.spans.iter().filter(|s| schema.is_figure(&s.label)) {
            let (value, value_max, unit, approx) = value_fields(s);
            let (who, when) = last_change(s);
            let edits = s.edits().join("+");
            w.write_record([
                item.doc.id.as_str(),
                s.label.as_str(),
                s.text.as_str(),
                value.as_deref().unwrap_or(""),
                value_max.as_deref().unwrap_or(""),
                unit.as_deref().unwrap_or(""),
                approx.map_or("", |a| if a { "true" } else { "false" }),
                sentence_of(&item.doc, s.start..s.end).as_str(),
                s.status.name(),
                s.provenance(),
                edits.as_str(),
                s.origin.name().as_str(),
                item.annotator.as_str(),
                who.unwrap_or(""),
                when.unwrap_or(""),
                s.start.to_string().as_str(),
                s.end.to_string().as_str(),
                item.doc.fingerprint.as_str(),
            ])?;
            rows += 1;
        }
    }
    w.flush()?;
    Ok(rows)
}
