//! `Mutator`: seeded byte- and structure-level mutations of YAML texts (bundled scenarios
//! and mappings), from a fixed seed so a run is repeatable; `rand`'s portable
//! Xoshiro256++ generator, not the standard one, whose algorithm may change.

use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};

/// Values of the wrong type or hostile YAML, put where a value was.
const VALUES: [&str; 22] = [
    "[]",
    "{}",
    "null",
    "~",
    "42",
    "-1",
    "4.5",
    "1e999",
    "true",
    "\"\"",
    "[a, [b, {c: d}]]",
    "&a x",
    "*a",
    "!tag x",
    "${",
    "${nope.refs.x}",
    "'unterminated",
    "\"\\u0000\"",
    "|\n  block",
    "{gte: 1}",
    "99999999999999999999",
    "2026-13-45T99:00:00+25:00",
];

/// Bytes that are interesting to a reader: NUL, a BOM, invalid UTF-8, controls, breaks.
const BYTES: [&[u8]; 12] = [
    b"\0",
    b"\xEF\xBB\xBF",
    b"\xff\xfe",
    b"\x01",
    b"\x1b[31m",
    b"\t",
    b"\r",
    b"\n---\n",
    b"  - ",
    b": :",
    b"#",
    b"\xe2\x80\xae",
];

pub struct Mutator {
    rng: Xoshiro256PlusPlus,
}

impl Mutator {
    pub fn new(seed: u64) -> Self {
        Mutator {
            rng: Xoshiro256PlusPlus::seed_from_u64(seed),
        }
    }

    pub fn below(&mut self, n: usize) -> usize {
        self.rng.random_range(0..n.max(1))
    }

    /// One to three mutations of `seed`, byte-level or structural, `other` a second text
    /// to splice from.
    pub fn mutate(&mut self, seed: &[u8], other: &[u8]) -> (Vec<u8>, Vec<&'static str>) {
        let mut bytes = seed.to_vec();
        let mut names = Vec::new();
        for _ in 0..=self.below(3) {
            let name = if self.below(2) == 0 {
                self.bytes(&mut bytes)
            } else {
                self.structure(&mut bytes, other)
            };
            names.push(name);
        }
        (bytes, names)
    }

    fn bytes(&mut self, bytes: &mut Vec<u8>) -> &'static str {
        let at = self.below(bytes.len() + 1);
        match self.below(6) {
            0 => {
                for _ in 0..=self.below(8) {
                    let i = self.below(bytes.len());
                    if let Some(b) = bytes.get_mut(i) {
                        *b ^= 1 << self.below(8);
                    }
                }
                "bit flips"
            }
            1 => {
                let junk = BYTES[self.below(BYTES.len())];
                bytes.splice(at..at, junk.iter().copied());
                "interesting bytes"
            }
            2 => {
                let end = (at + self.below(64)).min(bytes.len());
                bytes.drain(at..end);
                "deleted range"
            }
            3 => {
                let end = (at + self.below(256)).min(bytes.len());
                let copy = bytes[at..end].to_vec();
                let to = self.below(bytes.len() + 1);
                bytes.splice(to..to, copy);
                "duplicated range"
            }
            4 => {
                bytes.truncate(at);
                "truncated"
            }
            _ => {
                let byte = self.rng.random::<u8>();
                bytes.insert(at, byte);
                "random byte"
            }
        }
    }

    fn structure(&mut self, bytes: &mut Vec<u8>, other: &[u8]) -> &'static str {
        let text = String::from_utf8_lossy(bytes).into_owned();
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        if lines.is_empty() {
            lines.push(String::new());
        }
        let i = self.below(lines.len());
        let name = match self.below(7) {
            0 => {
                let j = self.below(lines.len());
                lines.swap(i, j);
                "swapped lines"
            }
            1 => {
                lines.remove(i);
                "deleted line"
            }
            2 => {
                let copy = lines[i].clone();
                lines.insert(self.below(lines.len() + 1), copy);
                "duplicated line"
            }
            3 => {
                let value = VALUES[self.below(VALUES.len())];
                match lines[i].find(": ") {
                    Some(at) => lines[i] = format!("{}: {value}", &lines[i][..at]),
                    None => lines[i].push_str(&format!(" {value}")),
                }
                "wrong value"
            }
            4 => {
                let shift = self.below(5);
                match self.below(2) {
                    0 => lines[i] = format!("{}{}", " ".repeat(shift), lines[i]),
                    _ => lines[i] = lines[i].trim_start().to_string(),
                }
                "indentation"
            }
            5 => {
                let theirs: Vec<&str> = std::str::from_utf8(other).unwrap_or("").lines().collect();
                if let Some(line) = theirs.get(self.below(theirs.len())) {
                    lines.insert(i, (*line).to_string());
                }
                "spliced line"
            }
            _ => {
                let depth = 1 + self.below(200);
                let open = if self.below(2) == 0 { "[" } else { "{a: " };
                lines.insert(i, format!("x: {}", open.repeat(depth)));
                "deep nesting"
            }
        };
        *bytes = lines.join("\n").into_bytes();
        if self.below(2) == 0 {
            bytes.push(b'\n');
        }
        name
    }
}
