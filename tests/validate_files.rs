//! Issue 12, item 1, through the real binary: what `seam validate` reads. A byte order
//! mark is accepted; NUL and control characters are placed errors; `--max-file-size`
//! refuses a file unread; a FIFO or a device is an error naming it; a symlink loop is
//! reported once and not followed; an unreadable folder fails the run (exit 2).

use std::process::Command;
use std::time::{Duration, Instant};

mod cli;

use cli::{Outcome, seam_in};

const JOURNEY: &str = "name: j\nclock: {start: '2026-01-01T00:00:00Z'}\nsteps:\n  - {id: a, channel: web, intent: stock.check}\n";

#[test]
fn a_file_with_a_byte_order_mark_validates() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("bom.yaml"), format!("\u{feff}{JOURNEY}")).expect("write");
    let out = seam_in(dir.path(), &["validate", "bom.yaml"]);
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    assert_eq!(out.stdout, "ok: 1 journey in 1 scenario file\n");
}

#[test]
fn a_nul_hides_nothing_after_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = "name: j\0\nclock: {start: '2026-01-01T00:00:00Z'}\nsteps:\n  - {id: a, channel: phnoe, intent: stock.check}\n  - {id: b, channel: web, intent: stock.check\u{1}}\n";
    std::fs::write(dir.path().join("nul.yaml"), text).expect("write");
    let out = seam_in(dir.path(), &["validate", "nul.yaml"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .starts_with("error: NUL character (U+0000) in the file\n  --> nul.yaml:1:8\n"),
        "{}",
        out.stderr
    );
    // The step after the NUL is still checked.
    assert!(
        out.stderr
            .contains("error: unknown channel `phnoe`\n  --> nul.yaml:4:22")
    );
    assert!(
        out.stderr.contains(
            "error: control character U+0001 outside a quoted string\n  --> nul.yaml:5:46"
        )
    );
    assert!(
        out.stderr.ends_with("3 errors, 1 warning in 1 file\n"),
        "{}",
        out.stderr
    );
}

#[test]
fn max_file_size_refuses_a_larger_file_and_accepts_one_that_fits() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("j.yaml"), JOURNEY).expect("write");
    let out = seam_in(
        dir.path(),
        &["validate", "--max-file-size", "100", "j.yaml"],
    );
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "error: file is larger than 100 bytes\n  --> j.yaml\n   = hint: split it, or raise the cap with --max-file-size\n\n1 error, 0 warnings in 1 file\n"
    );
    let out = seam_in(
        dir.path(),
        &["validate", "--max-file-size", "1KiB", "j.yaml"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = seam_in(
        dir.path(),
        &["validate", "--max-file-size", "lots", "j.yaml"],
    );
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("expected a size such as 512KiB"));
}

#[cfg(unix)]
#[test]
fn a_fifo_or_a_device_is_an_error_naming_it_not_a_hang() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("j.yaml"), JOURNEY).expect("write");
    let made = Command::new("mkfifo")
        .arg(dir.path().join("pipe.yaml"))
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let started = Instant::now();
    let out = seam_in(dir.path(), &["validate", ".", "/dev/zero"]);
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("error: not a regular file (a FIFO)\n  --> ./pipe.yaml\n"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("error: not a regular file (a device)\n  --> /dev/zero\n"),
        "{}",
        out.stderr
    );
}

#[cfg(unix)]
#[test]
fn two_symlinks_to_the_folder_itself_are_reported_once_and_not_followed() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("j.yaml"), JOURNEY).expect("write");
    std::os::unix::fs::symlink(".", dir.path().join("a")).expect("symlink");
    std::os::unix::fs::symlink(".", dir.path().join("b")).expect("symlink");
    let started = Instant::now();
    let out = seam_in(dir.path(), &["validate", "."]);
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "ok: 1 journey in 1 scenario file\n");
    assert_eq!(
        out.stderr.matches("symlink loop").count(),
        1,
        "{}",
        out.stderr
    );
    assert!(out.stderr.starts_with(
        "warning: symlink loop: this folder leads back to a folder above it\n  --> ./a\n"
    ));
}

#[cfg(unix)]
#[test]
fn an_unreadable_folder_or_file_is_an_error() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("j.yaml"), JOURNEY).expect("write");
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).expect("mkdir");
    std::fs::write(locked.join("k.yaml"), JOURNEY).expect("write");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let secret = dir.path().join("secret.yaml");
    std::fs::write(&secret, JOURNEY).expect("write");
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    // Root reads any folder: then the binary runs as `nobody` (setpriv, util-linux).
    let root = std::fs::read_dir(&locked).is_ok();
    let out = if root {
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755))
            .expect("chmod");
        // A copy `nobody` may run, wherever the build is (a home folder may be closed).
        let bin_dir = tempfile::tempdir().expect("temp dir");
        std::fs::set_permissions(bin_dir.path(), std::fs::Permissions::from_mode(0o755))
            .expect("chmod");
        let bin = bin_dir.path().join("seam");
        std::fs::copy(env!("CARGO_BIN_EXE_seam"), &bin).expect("copy the binary");
        std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        Outcome::from(
            Command::new("setpriv")
                .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(&bin)
                .args(["validate", "."])
                .current_dir(dir.path())
                .output()
                .expect("setpriv (util-linux) runs the binary as nobody"),
        )
    } else {
        seam_in(dir.path(), &["validate", "."])
    };
    let _ = std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("error: cannot read folder: Permission denied"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("--> ./locked"));
    assert!(out.stderr.contains("Permission denied"), "{}", out.stderr);
    assert!(
        out.stderr.contains("secret.yaml"),
        "the unreadable file too: {}",
        out.stderr
    );
}
