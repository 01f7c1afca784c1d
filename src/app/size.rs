//! Sizes on the command line (`--max-body`, `--max-file-size`): a number of bytes, or one
//! with a unit (`512KiB`, `64MiB`, `10MB`), read by `bytesize`.

/// A size of at least 1 byte.
pub fn parse_bytes(text: &str) -> Result<u64, String> {
    let size = text
        .trim()
        .parse::<bytesize::ByteSize>()
        .map_err(|_| format!("`{text}`: expected a size such as 512KiB, 64MiB, 10MB or 65536"))?;
    match size.as_u64() {
        0 => Err(format!("`{text}`: expected a size of at least 1 byte")),
        n => Ok(n),
    }
}

/// `parse_bytes`, for sizes held in memory.
pub fn parse_size(text: &str) -> Result<usize, String> {
    let n = parse_bytes(text)?;
    usize::try_from(n).map_err(|_| format!("`{text}`: too large for this machine"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_bytes("64MiB"), Ok(64 << 20));
        assert_eq!(parse_bytes("512KiB"), Ok(512 << 10));
        assert_eq!(parse_bytes("10MB"), Ok(10_000_000));
        assert_eq!(parse_bytes("65536"), Ok(65536));
        assert_eq!(parse_size("1MiB"), Ok(1 << 20));
        for bad in ["", "0", "lots", "1 parsec", "-1"] {
            assert!(parse_bytes(bad).is_err(), "{bad}");
        }
    }
}
