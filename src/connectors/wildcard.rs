//! File-name patterns with `*` (any run of characters) and `?` (one character).

pub fn matches(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    // Classic two-pointer match with backtracking to the last star.
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ni));
            pi += 1;
        } else if let Some((sp, sn)) = star {
            pi = sp + 1;
            ni = sn + 1;
            star = Some((sp, sn + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn patterns() {
        assert!(matches("xf_*.csv", "xf_20261101.csv"));
        assert!(!matches("xf_*.csv", "xf_20261101.xlsx"));
        assert!(!matches("xf_*.csv", ".xf_20261101.csv.tmp"));
        assert!(matches("*", "anything"));
        assert!(matches("a?c*", "abcde"));
        assert!(!matches("a?c", "ac"));
    }
}
