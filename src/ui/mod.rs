//! The desktop app (eframe/egui).

/// Opens the window.
pub fn run(_cli: &crate::cli::Cli) -> anyhow::Result<()> {
    anyhow::bail!("the desktop app is not built yet")
}
