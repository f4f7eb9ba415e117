//! Masking: what a finding may show of a personal datum or a secret. Nothing is ever shown
//! whole; every function here returns a string that keeps at most a short, non-identifying part.

/// The number of stars a masked token shows, whatever its length (the length is not revealed).
const TOKEN_STARS: usize = 16;

/// `jane.doe@example.com` → `j***@e***.com`: first letters and the top-level domain.
pub fn email(value: &str) -> String {
    let (local, domain) = value.rsplit_once('@').unwrap_or(("", value));
    let first = |s: &str| s.chars().next().map(String::from).unwrap_or_default();
    let tld = domain.rsplit_once('.').map(|(_, t)| t).unwrap_or("");
    format!("{}***@{}***.{}", first(local), first(domain), tld)
}

/// `hf_abcdef…wxyz` → `hf_****************wxyz`: the known prefix, a fixed run of stars and the
/// last four characters (as token dashboards show them).
pub fn token(prefix: &str, value: &str) -> String {
    let rest = value.strip_prefix(prefix).unwrap_or(value);
    let chars: Vec<char> = rest.chars().collect();
    // short values keep less, so that at most a quarter of the secret is shown
    let keep = (chars.len() / 4).min(4);
    let tail: String = chars[chars.len() - keep..].iter().collect();
    format!("{prefix}{}{tail}", "*".repeat(TOKEN_STARS))
}

/// Digits replaced by `*` except the last `keep`; separators and letters other than digits are
/// masked too, except the separators themselves (so the shape stays readable).
pub fn digits(value: &str, keep: usize) -> String {
    let total = value.chars().filter(|c| c.is_ascii_alphanumeric()).count();
    let mut seen = 0;
    value
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                seen += 1;
                if seen > total.saturating_sub(keep) {
                    c
                } else {
                    '*'
                }
            } else {
                c
            }
        })
        .collect()
}

/// `DE89 3704 0044 0532 0130 00` → `DE** **** **** **** **30 00`: the country and the last
/// four characters.
pub fn iban(value: &str) -> String {
    let country: String = value.chars().take(2).collect();
    let rest: String = value.chars().skip(2).collect();
    format!("{country}{}", digits(&rest, 4))
}

/// `+86 138 1234 5678` → `+** *** **** **78`: the last two digits.
pub fn phone(value: &str) -> String {
    digits(value, 2)
}

/// `81.2.69.160` → `***.***.***.160`; `2a00:1450::200e` → `****:…:200e`: the last group.
pub fn ip(value: &str) -> String {
    if value.contains(':') {
        let last = value.rsplit(':').next().unwrap_or("");
        format!("****:…:{last}")
    } else {
        let last = value.rsplit('.').next().unwrap_or("");
        format!("***.***.***.{last}")
    }
}

/// `https://user:pass@host/path` → `https://****:****@host`: the scheme and the host.
pub fn url_credentials(value: &str) -> String {
    let (scheme, rest) = value.split_once("://").unwrap_or(("", value));
    let host = rest.rsplit_once('@').map(|(_, h)| h).unwrap_or("");
    let host = host.split(['/', '?', '#']).next().unwrap_or("");
    format!("{scheme}://****:****@{host}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks() {
        assert_eq!(email("jane.doe@example.com"), "j***@e***.com");
        assert_eq!(
            token("hf_", "hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ01234wxyz"),
            "hf_****************wxyz"
        );
        assert_eq!(digits("4111-2222-3333-4444", 4), "****-****-****-4444");
        assert_eq!(digits("11010519491231002X", 4), "**************002X");
        assert_eq!(phone("+86 138 1234 5678"), "+** *** **** **78");
        assert_eq!(
            iban("DE89 3704 0044 0532 0130 00"),
            "DE** **** **** **** **30 00"
        );
        assert_eq!(ip("81.2.69.160"), "***.***.***.160");
        assert_eq!(
            url_credentials(&["postgres://admin", "hunter2@db.acme.io:5432/x"].join(":")),
            "postgres://****:****@db.acme.io:5432"
        );
    }
}
