//! Runs the `meterwire` binary from the repository root (so repo-relative capture
//! paths work) and returns its exit code, stdout and stderr.

use std::process::Command;

pub fn meterwire(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_meterwire"))
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The exit code and the JSON lines printed.
#[allow(dead_code)] // not every test file uses it
pub fn run(args: &[&str]) -> (i32, Vec<serde_json::Value>) {
    let (code, out, _) = meterwire(args);
    let rows = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (code, rows)
}
