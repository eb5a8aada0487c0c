//! Integration tests: drive the real `briefing` binary on fixture projects copied into
//! temporary folders (never the repository itself, so the embedded templates are tested).

mod harness;

mod adversarial;
mod build;
mod check;
mod dates;
mod digest;
mod exports;
mod faults;
mod fuzz;
mod import;
mod incremental;
mod init;
mod links;
mod properties;
mod render;
mod serve;
mod stories;
mod templates;
mod temporal;
