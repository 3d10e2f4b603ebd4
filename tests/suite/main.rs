//! Every integration test, as modules of one test crate (as cargo's own `tests/testsuite` is):
//! one link of the library and its dependencies instead of one per file, which is what makes the
//! test build fit a small machine (README, "Running the tests"). Run one module with
//! `cargo test --test suite app_review::`.
//!
//! All of them run in one process, in parallel: a test keeps what is process-wide to itself
//! (no environment variables set, no current directory changed; its files in a temporary folder of
//! its own; ports from 127.0.0.1:0; tmux on a socket in its own home). A test that needs a
//! process of its own runs this binary again by its full name (`audit_log::child_appender`).
//!
//! A new test file goes in this folder with a `mod` line below (`suite_layout` fails otherwise).

// Shared helpers, used by the modules as `crate::app_support::…`.
mod app_support;
mod demo_support;
mod e2e_support;
mod export_support;
mod pg_support;
mod privacy_support;
mod review_support;
mod skip_support;

// The tests, one module per topic.
mod api_client;
mod api_security;
mod app_audit;
mod app_commands;
mod app_compare;
mod app_keymap;
mod app_list;
mod app_preview;
mod app_props;
mod app_raw_view;
mod app_rest;
mod app_results;
mod app_review;
mod app_review_race;
mod app_tree;
mod app_watch;
mod archive_browse;
mod archive_special_files;
mod archive_worker;
mod audit_anchor;
mod audit_log;
mod cli_flags;
mod demo_arrivals;
mod demo_data;
mod demo_faces;
mod demo_links;
mod demo_server;
mod e2e_audit;
mod e2e_review;
mod e2e_ssh;
mod e2e_time_zone;
mod e2e_tmux;
mod export_bookkeeping;
mod export_cli;
mod export_faults;
mod export_full;
mod export_hostile;
mod export_links;
mod export_out;
mod export_resume;
mod ids_parse;
mod images_decode;
mod images_fuzz;
mod images_save;
mod model;
mod output_neutral;
mod pg_events;
mod pg_setup;
mod pg_tls;
mod privacy_screens;
mod review_cli;
mod review_demo;
mod review_desk;
mod review_race;
mod review_store;
mod runtime_burst;
mod show_audit;
mod show_private;
mod show_render;
mod suite_layout;
mod ui_compare;
mod ui_layout;
mod ui_review_snapshots;
mod ui_snapshots;
mod ui_time_zones;
mod ui_wrap;
mod worker;
