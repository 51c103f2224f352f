//! `biaozhu check`: per file, the detected encoding, title, date, source, body range and
//! any problem — a user's way to see what the tool made of their corpus.

use std::io::Write;

use serde_json::json;

use crate::corpus::Corpus;

/// Options of `check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// One JSON object per file per line.
    #[arg(long)]
    pub json: bool,
}

/// Runs `check`.
pub fn run(cli: &super::Cli, args: &Args) -> anyhow::Result<i32> {
    let corpus = Corpus::open(&cli.corpus).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut repaired = false;
    let mut out = std::io::stdout().lock();
    for (_, doc) in corpus.iter() {
        // Files that did not open are in `corpus.errors`, reported below.
        let Ok(doc) = doc else {
            continue;
        };
        let s = &doc.structure;
        let slice = |r: &Option<std::ops::Range<usize>>| {
            r.as_ref().map(|r| doc.slice(r.clone()).to_owned())
        };
        let authors: Vec<&str> = s.authors.iter().map(|r| doc.slice(r.clone())).collect();
        if args.json {
            let o = json!({
                "doc": doc.id,
                "encoding": doc.encoding,
                "title": slice(&s.title),
                "date": s.date_iso.clone().or_else(|| slice(&s.date)),
                "source": slice(&s.source),
                "authors": authors,
                "body_start": s.body.start,
                "body_end": s.body.end,
                "boilerplate": s.boilerplate.iter().map(|r| [r.start, r.end]).collect::<Vec<_>>(),
                "chars": doc.char_len(),
                "fingerprint": doc.fingerprint,
                "notes": s.notes.iter().map(|n| n.describe()).collect::<Vec<_>>(),
                "error": null,
                "warning": doc.warning(),
            });
            writeln!(out, "{o}")?;
        } else {
            let dash = || "—".to_string();
            writeln!(out, "{}  [{}]", doc.id, doc.encoding)?;
            writeln!(out, "  title:   {}", slice(&s.title).unwrap_or_else(dash))?;
            writeln!(
                out,
                "  date:    {}",
                s.date_iso
                    .clone()
                    .or_else(|| slice(&s.date))
                    .unwrap_or_else(dash)
            )?;
            writeln!(out, "  source:  {}", slice(&s.source).unwrap_or_else(dash))?;
            writeln!(
                out,
                "  authors: {}",
                if authors.is_empty() {
                    dash()
                } else {
                    authors.join(" ")
                }
            )?;
            let boiler: usize = s.boilerplate.iter().map(|r| r.len()).sum();
            writeln!(
                out,
                "  body:    chars {}..{} of {} ({} boilerplate chars in {} ranges)",
                s.body.start,
                s.body.end,
                doc.char_len(),
                boiler,
                s.boilerplate.len()
            )?;
            for note in &s.notes {
                writeln!(out, "  note:    {}", note.describe())?;
            }
        }
        if let Some(w) = doc.warning() {
            repaired = true;
            if !args.json {
                eprintln!("biaozhu: {w}");
            }
        }
    }
    for e in &corpus.errors {
        if args.json {
            let path = e.path();
            let o = json!({
                "doc": crate::corpus::doc_id(path),
                "encoding": null, "title": null, "date": null, "source": null,
                "body_start": null, "body_end": null,
                "error": e.to_string(),
            });
            writeln!(out, "{o}")?;
        } else {
            eprintln!("biaozhu: {e}");
        }
    }
    if corpus.is_empty() && corpus.errors.is_empty() {
        eprintln!("biaozhu: no .txt files in {}", cli.corpus.display());
        return Ok(1);
    }
    Ok(if corpus.errors.is_empty() && !repaired {
        0
    } else {
        1
    })
}
