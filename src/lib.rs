//! modelgate: a policy-as-code linter for machine-learning model repositories.
//!
//! The pipeline runs one way: policy file → rules → file set → documents and facts →
//! findings → a reporter. Rules never read files; they ask facts.

pub mod baseline;
pub mod classify;
pub mod cli;
pub mod config;
pub mod docs;
pub mod documents;
pub mod engine;
pub mod facts;
pub mod finding;
pub mod fix;
pub mod glob;
pub mod history;
pub mod init;
pub mod inspect;
pub mod licenses;
pub mod openness;
pub mod policy;
pub mod repo;
pub mod report;
pub mod scan;
pub mod schema;
pub mod suppress;
pub mod text;
