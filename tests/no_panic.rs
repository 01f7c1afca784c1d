//! No input panics the loader: seeded mutations of the valid fixtures (truncation, byte
//! flips, wrong types, shuffled lines, hostile YAML) each end in a clean result.

use std::path::{Path, PathBuf};

use seam::app::vocabulary::default_vocabulary;
use seam::scenario::diagnostic::render;
use seam::scenario::load_paths;

/// A small deterministic generator (xorshift64*), so every run tries the same cases.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const WRONG: [&str; 14] = [
    "[]",
    "{}",
    "null",
    "42",
    "-1",
    "4.5",
    "true",
    "\"\"",
    "[a, [b, {c: d}]]",
    "&a x",
    "*a",
    "!tag x",
    "${",
    "'unterminated",
];

fn mutate(rng: &mut Rng, text: &[u8]) -> Vec<u8> {
    let mut bytes = text.to_vec();
    match rng.below(7) {
        0 => bytes.truncate(rng.below(bytes.len() + 1)),
        1 => {
            for _ in 0..=rng.below(4) {
                let i = rng.below(bytes.len());
                if let Some(b) = bytes.get_mut(i) {
                    *b ^= 1 << rng.below(8);
                }
            }
        }
        2 | 3 => {
            // Replace the value after a `:` with a value of another type.
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let colons: Vec<usize> = text.match_indices(": ").map(|(i, _)| i).collect();
            if let Some(&at) = colons.get(rng.below(colons.len())) {
                let end = text[at..].find('\n').map_or(text.len(), |e| at + e);
                let wrong = WRONG[rng.below(WRONG.len())];
                bytes = format!("{}: {wrong}{}", &text[..at], &text[end..]).into_bytes();
            }
        }
        4 => {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let mut lines: Vec<&str> = text.lines().collect();
            if !lines.is_empty() {
                let i = rng.below(lines.len());
                let j = rng.below(lines.len());
                lines.swap(i, j);
                if rng.below(2) == 0 {
                    lines.remove(rng.below(lines.len()));
                }
            }
            bytes = lines.join("\n").into_bytes();
        }
        5 => {
            let i = rng.below(bytes.len() + 1);
            let junk: &[u8] = match rng.below(6) {
                0 => b"\t",
                1 => b"\0",
                2 => b"\xff\xfe",
                3 => b"\n---\n",
                4 => b"  - ",
                _ => b": :",
            };
            bytes.splice(i..i, junk.iter().copied());
        }
        _ => {
            let depth = 1 + rng.below(5_000);
            let open = if rng.below(2) == 0 { "[" } else { "{a: " };
            bytes.extend(format!("\nx: {}", open.repeat(depth)).into_bytes());
        }
    }
    bytes
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("temp dir");
    for entry in std::fs::read_dir(from).expect("fixture dir").flatten() {
        let path = entry.path();
        if path.is_file() {
            std::fs::copy(&path, to.join(entry.file_name())).expect("copy");
        }
    }
}

#[test]
fn a_thousand_mutated_files_end_in_clean_results() {
    let valid = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/valid");
    let dir = std::env::temp_dir().join(format!("seam-no-panic-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&valid.join("personas"), &dir.join("personas"));
    copy_dir(&valid.join("fragments"), &dir.join("fragments"));
    let seeds: Vec<Vec<u8>> = ["bookstore.yaml", "matrix.yaml", "multi.yaml"]
        .iter()
        .map(|f| std::fs::read(valid.join(f)).expect("fixture"))
        .collect();
    let vocabulary = default_vocabulary();
    let mut rng = Rng(0x5EA4_2026);
    let mut errors = 0;
    for case in 0..1_000 {
        let seed = &seeds[rng.below(seeds.len())];
        let mut bytes = mutate(&mut rng, seed);
        if rng.below(4) == 0 {
            bytes = mutate(&mut rng, &bytes);
        }
        let file = dir.join(format!("case-{case:04}.yaml"));
        std::fs::write(&file, &bytes).expect("write case");
        let result = std::panic::catch_unwind(|| {
            let loaded = load_paths(std::slice::from_ref(&file), &vocabulary);
            let mut out = Vec::new();
            render(&loaded.diagnostics, &loaded.sources, &mut out).expect("render to memory");
            (
                loaded.has_errors(),
                loaded.journeys.len(),
                loaded.diagnostics,
            )
        });
        let Ok((has_errors, journeys, diagnostics)) = result else {
            panic!("case {case} panicked; input kept at {}", file.display());
        };
        let lines = bytes.split(|b| *b == b'\n').count();
        for d in &diagnostics {
            assert!(!d.message.is_empty(), "case {case}: empty message");
            assert!(
                d.line <= lines + 1,
                "case {case}: line {} of {lines}",
                d.line
            );
        }
        if has_errors {
            errors += 1;
            assert_eq!(journeys, 0, "case {case}: journeys from a file with errors");
        }
        let _ = std::fs::remove_file(&file);
    }
    let _ = std::fs::remove_dir_all(&dir);
    // Most mutations break the file; a few are harmless (e.g. a flipped bit in a comment).
    assert!(errors > 500, "only {errors} of 1000 mutations were caught");
}
