//! JSON Schemas of modelgate.toml and of rule packs, generated from the Rust types (schemars).
//! Types with a hand-written `Deserialize` (a string or a table, one value or a list) get their
//! schema here, next to each other, so the two stay in step.

use crate::config::raw::{RawPolicy, RawRuleSetting};
use crate::documents::headings;
use crate::policy::check::{
    FactCheck, FactName, FactTable, FrontMatterCheck, FrontMatterTable, Globs, JurisdictionName,
    OneOrMany, Pattern, RoleName, SectionCheck, SectionName, SectionTable,
};
use crate::policy::rule::{ExampleFile, LevelSpec, PackDef, RuleDef};
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde_json::Value;
use std::borrow::Cow;

/// Where the schemas are published, for `#:schema` lines and `$id`.
pub const SCHEMA_BASE: &str = "https://raw.githubusercontent.com/modelgate/modelgate/main";

fn names(list: impl IntoIterator<Item = String>) -> Value {
    Value::Array(list.into_iter().map(Value::String).collect())
}

fn levels(with_off: bool) -> Value {
    let mut v = vec!["error", "warning", "info"];
    if with_off {
        v.push("off");
    }
    names(v.into_iter().map(String::from))
}

impl JsonSchema for RawRuleSetting {
    fn schema_name() -> Cow<'static, str> {
        "RuleSetting".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let l = levels(true);
        json_schema!({
            "description": "A rule's level, or a table with its level and the paths it ignores",
            "anyOf": [
                {"type": "string", "enum": l},
                {"type": "object", "additionalProperties": false, "properties": {
                    "level": {"type": "string", "enum": l},
                    "ignore": {"type": "array", "items": {"type": "string"}}
                }}
            ]
        })
    }
}

impl JsonSchema for LevelSpec {
    fn schema_name() -> Cow<'static, str> {
        "LevelSpec".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let l = levels(false);
        json_schema!({
            "description": "The default level, for every mode or per mode",
            "anyOf": [
                {"type": "string", "enum": l},
                {"type": "object", "additionalProperties": false, "minProperties": 1, "properties": {
                    "open": {"type": "string", "enum": l},
                    "hybrid": {"type": "string", "enum": l},
                    "closed": {"type": "string", "enum": l}
                }}
            ]
        })
    }
}

impl JsonSchema for ExampleFile {
    fn schema_name() -> Cow<'static, str> {
        "ExampleFile".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "The file's text, `{ size = N }` for a file of N zero bytes, or `{ license = \"MIT\", append = \"...\" }` for an SPDX licence's text (with text added before or after it), or `{ hex = \"80 04 ...\" }` for binary content",
            "anyOf": [
                {"type": "string"},
                {"type": "object", "additionalProperties": false, "required": ["size"],
                 "properties": {"size": {"type": "integer", "minimum": 0, "maximum": 16777216}}},
                {"type": "object", "additionalProperties": false, "required": ["license"],
                 "properties": {"license": {"type": "string"}, "prepend": {"type": "string"}, "append": {"type": "string"}}},
                {"type": "object", "additionalProperties": false, "required": ["hex"],
                 "properties": {"hex": {"type": "string", "pattern": "^(\\s*[0-9A-Fa-f]{2})*\\s*$"}}}
            ]
        })
    }
}

impl<T: JsonSchema> JsonSchema for OneOrMany<T> {
    fn schema_name() -> Cow<'static, str> {
        format!("OneOrMany_{}", T::schema_name()).into()
    }
    fn json_schema(g: &mut SchemaGenerator) -> Schema {
        let item = g.subschema_for::<T>();
        json_schema!({"anyOf": [item, {"type": "array", "items": item}]})
    }
}

impl JsonSchema for Pattern {
    fn schema_name() -> Cow<'static, str> {
        "Pattern".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "string", "format": "regex",
            "description": "A case-insensitive regular expression; a space matches any whitespace"})
    }
}

impl JsonSchema for Globs {
    fn schema_name() -> Cow<'static, str> {
        "Globs".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"description": "A glob or a list of globs",
            "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]})
    }
}

impl JsonSchema for SectionName {
    fn schema_name() -> Cow<'static, str> {
        "SectionName".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let list = names(headings::table().groups.keys().cloned());
        json_schema!({"type": "string", "enum": list, "description": "A built-in section group"})
    }
}

impl JsonSchema for FactName {
    fn schema_name() -> Cow<'static, str> {
        "FactName".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let list = names(crate::facts::all_facts().map(|f| f.name.to_string()));
        json_schema!({"type": "string", "enum": list, "description": "A fact modelgate computes"})
    }
}

impl JsonSchema for RoleName {
    fn schema_name() -> Cow<'static, str> {
        "Role".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let list = names(crate::repo::Role::NAMES.iter().map(|n| n.to_string()));
        json_schema!({"type": "string", "enum": list})
    }
}

impl JsonSchema for JurisdictionName {
    fn schema_name() -> Cow<'static, str> {
        "JurisdictionOrAny".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let list = names(
            std::iter::once("any".to_string()).chain(
                crate::config::JURISDICTIONS
                    .iter()
                    .map(|(k, _)| k.to_string()),
            ),
        );
        json_schema!({"type": "string", "enum": list})
    }
}

/// A check written as a string (its main field) or as a table.
fn string_or<T: JsonSchema>(g: &mut SchemaGenerator, string: Schema) -> Schema {
    let table = g.subschema_for::<T>();
    json_schema!({"anyOf": [string, table]})
}

impl JsonSchema for FrontMatterCheck {
    fn schema_name() -> Cow<'static, str> {
        "FrontMatterCheck".into()
    }
    fn json_schema(g: &mut SchemaGenerator) -> Schema {
        string_or::<FrontMatterTable>(
            g,
            json_schema!({"type": "string", "description": "A front matter key"}),
        )
    }
}

impl JsonSchema for SectionCheck {
    fn schema_name() -> Cow<'static, str> {
        "SectionCheck".into()
    }
    fn json_schema(g: &mut SchemaGenerator) -> Schema {
        let name = g.subschema_for::<SectionName>();
        string_or::<SectionTable>(g, name)
    }
}

impl JsonSchema for FactCheck {
    fn schema_name() -> Cow<'static, str> {
        "FactCheck".into()
    }
    fn json_schema(g: &mut SchemaGenerator) -> Schema {
        let name = g.subschema_for::<FactName>();
        string_or::<FactTable>(g, name)
    }
}

fn finish(mut schema: Schema, file: &str) -> String {
    schema.insert("$id".into(), Value::String(format!("{SCHEMA_BASE}/{file}")));
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// The schema of modelgate.toml.
pub fn policy_schema() -> String {
    finish(schemars::schema_for!(RawPolicy), "modelgate.schema.json")
}

/// The schema of a rule pack: one rule per file, or `[[rule]]` tables.
pub fn pack_schema() -> String {
    let mut g = schemars::generate::SchemaSettings::draft2020_12().into_generator();
    let rule = g.subschema_for::<RuleDef>();
    let pack = g.subschema_for::<PackDef>();
    let defs = Value::Object(g.definitions().clone());
    let schema = json_schema!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "modelgate rule pack",
        "description": "A rule file (one rule, its path is its id) or a pack of `[[rule]]` tables",
        "anyOf": [rule, pack],
        "$defs": defs
    });
    finish(schema, "rule-pack.schema.json")
}

/// The generated schema files, as (file name, content).
pub fn generate() -> Vec<(&'static str, String)> {
    vec![
        ("modelgate.schema.json", policy_schema()),
        ("rule-pack.schema.json", pack_schema()),
    ]
}
