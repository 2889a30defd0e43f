//! Words for counts in messages people read.

/// "1 row", "3 rows": `count` and the noun, with an "s" when the count is not 1.
///
/// Every message that counts something goes through this, so no message says "1 rows".
pub fn counted(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::counted;

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(counted(1, "form"), "1 form");
        assert_eq!(counted(0, "row"), "0 rows");
        assert_eq!(counted(3, "task"), "3 tasks");
    }
}
