//! `modelgate.toml` as written: serde types that keep spans for every value a diagnostic may
//! need to point at. Validation into [`super::Policy`] happens in `mod.rs`.

use schemars::JsonSchema;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use toml::Spanned;

/// modelgate's policy file, `modelgate.toml`.
#[derive(Debug, Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "modelgate.toml")]
pub struct RawPolicy {
    /// Globs of paths that are never linted.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub exclude: Vec<Spanned<String>>,
    /// Extra rule packs (files or folders), relative to this file.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub packs: Vec<Spanned<String>>,
    pub release: Option<RawRelease>,
    /// Named components of the release (`weights`, `code`, `training-code`, `training-data`, ...).
    #[schemars(with = "Option<BTreeMap<String, RawComponent>>")]
    pub components: Option<Spanned<BTreeMap<Spanned<String>, Spanned<RawComponent>>>>,
    /// Per-rule levels and ignore globs, by rule id.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, RawRuleSetting>")]
    pub rules: BTreeMap<Spanned<String>, Spanned<RawRuleSetting>>,
    pub scan: Option<RawScan>,
    /// Model folders with their own settings; unset values are the root's.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, RawModel>")]
    pub models: BTreeMap<Spanned<String>, RawModel>,
}

/// The release as a whole.
#[derive(Debug, Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRelease {
    /// The release mode: open, closed or hybrid (some parts open, key parts withheld).
    #[schemars(with = "Option<crate::config::Mode>")]
    pub mode: Option<Spanned<crate::config::Mode>>,
    /// The privacy and AI law the release is held to.
    #[schemars(with = "Option<Vec<crate::config::JurisdictionId>>")]
    pub jurisdictions: Option<Vec<Spanned<String>>>,
}

/// A component of the release and whether it is published.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawComponent {
    #[schemars(with = "crate::config::Status")]
    pub status: Spanned<crate::config::Status>,
    /// Globs of the component's files (a usual component's default when left out).
    #[schemars(with = "Option<Vec<String>>")]
    pub paths: Option<Vec<Spanned<String>>>,
    /// The component's licence, as an SPDX expression.
    #[schemars(with = "Option<String>")]
    pub license: Option<Spanned<String>>,
    /// Whether patents cover the component.
    #[serde(default)]
    pub patented: bool,
}

/// Limits of the scanners.
#[derive(Debug, Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawScan {
    /// Globs of the files scanned for personal data and secrets (default: data samples,
    /// documents, configs and code).
    #[schemars(with = "Option<Vec<String>>")]
    pub include: Option<Vec<Spanned<String>>>,
    /// Globs of files never scanned (test data).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub ignore: Vec<Spanned<String>>,
    /// The most bytes read of one file (default 104857600).
    #[schemars(with = "Option<u64>", range(min = 1))]
    pub max_bytes: Option<Spanned<u64>>,
    /// Pickle globals (`module.name`) to accept besides the built-in allow-list.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub safe_pickle_globals: Vec<Spanned<String>>,
}

/// A model folder's own settings.
#[derive(Debug, Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawModel {
    #[schemars(with = "Option<crate::config::Mode>")]
    pub mode: Option<Spanned<crate::config::Mode>>,
    #[schemars(with = "Option<Vec<crate::config::JurisdictionId>>")]
    pub jurisdictions: Option<Vec<Spanned<String>>>,
    #[schemars(with = "Option<BTreeMap<String, RawComponent>>")]
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
