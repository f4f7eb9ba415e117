//! modelgate: a policy-as-code linter for machine-learning model repositories.
//!
//! The pipeline runs one way: policy file → rules → file set → documents and facts →
//! findings → a reporter. Rules never read files; they ask facts.

pub mod baseline;
pub mod bom;
pub mod cli;
pub mod config;
pub mod docs;
pub mod documents;
pub mod facts;
pub mod finding;
pub mod fix;
pub mod fsys;
pub mod glob;
pub mod init;
pub mod inspect;
pub mod licenses;
pub mod model;
pub mod policy;
pub mod repo;
pub mod report;
pub mod run;
pub mod scan;
pub mod schema;
pub mod text;
