//! `read_text` and `Unreadable`: the UTF-8 text of one scenario (or mapping) file, or why
//! it cannot be read. Only regular files are opened (a FIFO or a device would block or
//! never end), never more than the size cap is read, and a UTF-8 byte order mark is dropped.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use super::diagnostic::Diagnostic;
use super::yaml::Span;

/// The default of `--max-file-size`: files larger than this are refused, unread.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The UTF-8 byte order mark some editors write at the start of a file.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Why a file cannot be read, and the text to quote if there is one (lossy, when the file
/// is not UTF-8).
pub struct Unreadable {
    pub problem: Diagnostic,
    pub text: Option<String>,
}

/// The UTF-8 text of `path` (named `name` in diagnostics), at most `max_bytes` long, or
/// why it cannot be read.
pub fn read_text(path: &Path, name: &str, max_bytes: u64) -> Result<String, Box<Unreadable>> {
    let fail = |message: String, hint: &str| {
        let problem = Diagnostic::error(name, Span::default(), message).with_hint(hint);
        Box::new(Unreadable {
            problem,
            text: None,
        })
    };
    let too_large = || {
        fail(
            format!("file is larger than {}", size_words(max_bytes)),
            "split it, or raise the cap with --max-file-size",
        )
    };
    let meta = std::fs::metadata(path).map_err(|e| {
        fail(
            format!("cannot read file: {e}"),
            "check the path and its permissions",
        )
    })?;
    if !meta.is_file() {
        return Err(fail(
            format!("not a regular file ({})", kind_of(&meta.file_type())),
            "give scenario files or folders that hold them",
        ));
    }
    if meta.len() > max_bytes {
        return Err(too_large());
    }
    let read = |file: File| -> std::io::Result<Vec<u8>> {
        let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
        // One byte past the cap tells a file that grew since `metadata` from one that fits.
        file.take(max_bytes.saturating_add(1))
            .read_to_end(&mut bytes)?;
        Ok(bytes)
    };
    let mut bytes = File::open(path)
        .and_then(read)
        .map_err(|e| fail(format!("cannot read file: {e}"), "check its permissions"))?;
    if bytes.len() as u64 > max_bytes {
        return Err(too_large());
    }
    if bytes.starts_with(BOM) {
        bytes.drain(..BOM.len());
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let before = String::from_utf8_lossy(valid);
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        let span = Span { line, col, len: 1 };
        let problem = Diagnostic::error(name, span, "file is not valid UTF-8")
            .with_hint("save the file as UTF-8");
        let text = Some(String::from_utf8_lossy(e.as_bytes()).into_owned());
        Box::new(Unreadable { problem, text })
    })
}

/// `64 MiB`, `1.5 KiB`, `300 bytes`.
pub fn size_words(bytes: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    for (size, unit) in UNITS {
        if bytes >= size {
            let whole = bytes / size;
            let tenths = (bytes % size) * 10 / size;
            return match tenths {
                0 => format!("{whole} {unit}"),
                t => format!("{whole}.{t} {unit}"),
            };
        }
    }
    format!("{bytes} bytes")
}

/// What a path that is not a regular file is, in words.
fn kind_of(kind: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_dir() {
        "a folder"
    } else {
        "not a file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8], max: u64) -> Result<String, String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let path = dir.path().join("x.yaml");
        std::fs::write(&path, bytes).map_err(|e| e.to_string())?;
        read_text(&path, "x.yaml", max).map_err(|u| u.problem.message)
    }

    #[test]
    fn a_byte_order_mark_is_dropped() {
        assert_eq!(read(b"\xEF\xBB\xBFname: a\n", 100), Ok("name: a\n".into()));
    }

    #[test]
    fn a_file_over_the_cap_is_refused_unread() {
        assert_eq!(read(b"12345", 5), Ok("12345".into()));
        assert_eq!(
            read(b"123456", 5),
            Err("file is larger than 5 bytes".into())
        );
    }

    #[test]
    fn a_folder_or_a_device_is_not_a_regular_file() {
        let problem = |path: &str| {
            read_text(Path::new(path), path, 100)
                .err()
                .map(|u| u.problem.message)
        };
        assert_eq!(problem("."), Some("not a regular file (a folder)".into()));
        if Path::new("/dev/zero").exists() {
            assert_eq!(
                problem("/dev/zero"),
                Some("not a regular file (a device)".into())
            );
        }
    }

    #[test]
    fn sizes_in_words() {
        assert_eq!(size_words(64 * 1024 * 1024), "64 MiB");
        assert_eq!(size_words(1536), "1.5 KiB");
        assert_eq!(size_words(300), "300 bytes");
    }
}
