//! The label schema as data: the annotation guide's ten labels by default, overridable per
//! project with `annotations/schema.ron`.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::StoreError;

/// Figures carry normalised values; entities do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Category {
    /// Numbers with units: MONEY, PERCENT, COUNT, MEASURE, DATE, DURATION.
    Figure,
    /// Names: PER, LOC, ORG, POLICY.
    Entity,
}

/// One label.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Label {
    /// Name as stored in files and exports (`MONEY`).
    pub name: String,
    /// Figure or entity.
    pub category: Category,
    /// Highlight colour, sRGB.
    pub colour: [u8; 3],
    /// Key that applies the label (a digit by default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hotkey: Option<char>,
    /// What it covers, shown in the legend's tooltip.
    #[serde(default)]
    pub description: String,
}

/// The labels of a project, in display order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Schema {
    /// The labels.
    pub labels: Vec<Label>,
}

impl Default for Schema {
    fn default() -> Self {
        let l = |name: &str, category, colour, hotkey, description: &str| Label {
            name: name.into(),
            category,
            colour,
            hotkey: Some(hotkey),
            description: description.into(),
        };
        use Category::{Entity, Figure};
        Self {
            labels: vec![
                l(
                    "MONEY",
                    Figure,
                    [230, 159, 0],
                    '1',
                    "an amount of money with its currency unit: 5.3亿元",
                ),
                l(
                    "PERCENT",
                    Figure,
                    [86, 180, 233],
                    '2',
                    "a percentage or percentage points: 4.9%, 5个百分点",
                ),
                l(
                    "COUNT",
                    Figure,
                    [0, 158, 115],
                    '3',
                    "a number with a counting word or classifier: 874户, 21万人",
                ),
                l(
                    "MEASURE",
                    Figure,
                    [240, 228, 66],
                    '4',
                    "a physical measure: 12万亩, 400平方米, 500千瓦",
                ),
                l(
                    "DATE",
                    Figure,
                    [0, 114, 178],
                    '5',
                    "a calendar date, month, year or clock time: 2016年12月07日",
                ),
                l(
                    "DURATION",
                    Figure,
                    [213, 94, 0],
                    '6',
                    "a length of time: 20年, 1个多月",
                ),
                l(
                    "PER",
                    Entity,
                    [204, 121, 167],
                    '7',
                    "a person's name, without title: 郑小东",
                ),
                l(
                    "LOC",
                    Entity,
                    [120, 190, 90],
                    '8',
                    "a place: 吉林省, 东辽县渭津镇大榆村",
                ),
                l(
                    "ORG",
                    Entity,
                    [160, 130, 220],
                    '9',
                    "an organisation: 吉林日报, 阳春羊奶集团",
                ),
                l(
                    "POLICY",
                    Entity,
                    [220, 90, 90],
                    '0',
                    "a named policy, programme or slogan: “两不愁三保障”",
                ),
            ],
        }
    }
}

/// File name of a project's schema inside the annotations folder.
pub const SCHEMA_FILE: &str = "schema.ron";

impl Schema {
    /// The project's schema: `annotations/schema.ron` if present, else the default.
    pub fn load(annotations: &Path) -> Result<Self, StoreError> {
        let path = annotations.join(SCHEMA_FILE);
        match std::fs::read_to_string(&path) {
            Ok(s) => {
                let schema: Self = crate::store::parse_ron(&path, &s)?;
                // Names go into CoNLL columns and brat fields: no spaces, tabs, line breaks.
                if let Some(l) = schema
                    .labels
                    .iter()
                    .find(|l| !crate::store::safe_label(&l.name))
                {
                    return Err(StoreError::BadLabel {
                        path,
                        label: l.name.clone(),
                    });
                }
                Ok(schema)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(source) => Err(StoreError::Io {
                path,
                action: "cannot read",
                source,
            }),
        }
    }

    /// The label with this name.
    pub fn get(&self, name: &str) -> Option<&Label> {
        self.labels.iter().find(|l| l.name == name)
    }

    /// Index of a label.
    pub fn index(&self, name: &str) -> Option<usize> {
        self.labels.iter().position(|l| l.name == name)
    }

    /// The label bound to a hotkey.
    pub fn by_hotkey(&self, key: char) -> Option<&Label> {
        self.labels.iter().find(|l| l.hotkey == Some(key))
    }

    /// Is this label a figure?
    pub fn is_figure(&self, name: &str) -> bool {
        self.get(name)
            .is_some_and(|l| l.category == Category::Figure)
    }

    /// Colour of a label (grey for unknown labels).
    pub fn colour(&self, name: &str) -> [u8; 3] {
        self.get(name).map_or([150, 150, 150], |l| l.colour)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_has_the_guides_ten_labels_with_unique_hotkeys() {
        let s = Schema::default();
        assert_eq!(s.labels.len(), 10);
        let mut keys: Vec<char> = s.labels.iter().filter_map(|l| l.hotkey).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), 10);
        assert!(s.is_figure("MONEY") && !s.is_figure("LOC"));
    }

    #[test]
    fn project_schema_overrides_default() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Schema::load(dir.path()).unwrap(), Schema::default());
        let mut s = Schema::default();
        s.labels.truncate(2);
        std::fs::write(dir.path().join(SCHEMA_FILE), ron::to_string(&s).unwrap()).unwrap();
        assert_eq!(Schema::load(dir.path()).unwrap().labels.len(), 2);
        s.labels[0].name = "two words".into();
        std::fs::write(dir.path().join(SCHEMA_FILE), ron::to_string(&s).unwrap()).unwrap();
        assert!(matches!(
            Schema::load(dir.path()),
            Err(StoreError::BadLabel { .. })
        ));
        std::fs::write(dir.path().join(SCHEMA_FILE), "(labels: [oops").unwrap();
        assert!(matches!(
            Schema::load(dir.path()),
            Err(StoreError::Parse { .. })
        ));
    }
}
