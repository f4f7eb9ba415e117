//! `modelgate.toml` as written: serde types that keep spans for every value a diagnostic may
//! need to point at. Validation into [`super::Policy`] happens in `mod.rs`.

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use toml::Spanned;

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawPolicy {
    #[serde(default)]
    pub exclude: Vec<Spanned<String>>,
    #[serde(default)]
    pub packs: Vec<Spanned<String>>,
    pub release: Option<RawRelease>,
    pub components: Option<Spanned<BTreeMap<Spanned<String>, Spanned<RawComponent>>>>,
    #[serde(default)]
    pub rules: BTreeMap<Spanned<String>, Spanned<RawRuleSetting>>,
    pub scan: Option<RawScan>,
    #[serde(default)]
    pub models: BTreeMap<Spanned<String>, RawModel>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawRelease {
    pub mode: Option<Spanned<crate::config::Mode>>,
    pub jurisdictions: Option<Vec<Spanned<String>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawComponent {
    pub status: Spanned<crate::config::Status>,
    pub paths: Option<Vec<Spanned<String>>>,
    pub license: Option<Spanned<String>>,
    #[serde(default)]
    pub patented: bool,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawScan {
    pub include: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    pub ignore: Vec<Spanned<String>>,
    pub max_bytes: Option<Spanned<u64>>,
    #[serde(default)]
    pub safe_pickle_globals: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawModel {
    pub mode: Option<Spanned<crate::config::Mode>>,
    pub jurisdictions: Option<Vec<Spanned<String>>>,
    pub components: Option<Spanned<BTreeMap<Spanned<String>, Spanned<RawComponent>>>>,
}

/// `"card/x" = "warning"` or `"card/x" = { level = "error", ignore = ["tests/**"] }`.
#[derive(Debug, Default)]
pub struct RawRuleSetting {
    pub level: Option<crate::config::LevelSetting>,
    pub ignore: Vec<String>,
}

impl<'de> Deserialize<'de> for RawRuleSetting {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawRuleSetting;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a level (\"error\", \"warning\", \"info\", \"off\") or a table with `level` and `ignore`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(RawRuleSetting {
                    level: Some(crate::config::LevelSetting::parse(v).map_err(E::custom)?),
                    ignore: vec![],
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = RawRuleSetting::default();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "level" => {
                            let v: String = map.next_value()?;
                            out.level = Some(
                                crate::config::LevelSetting::parse(&v)
                                    .map_err(de::Error::custom)?,
                            );
                        }
                        "ignore" => out.ignore = map.next_value()?,
                        other => {
                            return Err(de::Error::unknown_field(other, &["level", "ignore"]));
                        }
                    }
                }
                Ok(out)
            }
        }
        d.deserialize_any(V)
    }
}
