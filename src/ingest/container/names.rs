//! Member names as parts of ids: escaped so that they can never name a place on the disk, and
//! so that an id splits back into its container chain.

/// The separator between a container's path and a member's name in an id.
pub const MEMBER_SEPARATOR: &str = "!/";

/// `<container>!/<member>`: the id and path of a member of the container whose path (or, for a
/// record such as a mailbox's message, id) is `container`.
pub fn member_path(container: &str, member: &str) -> String {
    format!("{container}{MEMBER_SEPARATOR}{member}")
}

/// A member's name as stored, made safe for an id: `\` read as `/`; `%` written `%25`; a `.`
/// or `..` part written `%2E` / `%2E%2E`; a leading `/` written `%2F`; a drive letter's `:`
/// written `%3A`; a `!` before a `/` written `%21` (it would split the id). The bool says the
/// name tried to leave its folder (`..`, an absolute path, a drive letter): the analyst is told.
pub fn escape_member_name(raw: &str) -> (String, bool) {
    let normal = raw.replace('\\', "/").replace('%', "%25");
    let mut escaped = false;
    let mut parts = Vec::new();
    for (i, part) in normal.split('/').enumerate() {
        let part = match part {
            ".." => {
                escaped = true;
                "%2E%2E".to_owned()
            }
            "." => {
                escaped = true;
                "%2E".to_owned()
            }
            "" if i == 0 && normal.len() > 1 => {
                escaped = true;
                "%2F".to_owned()
            }
            p if i == 0 && p.len() == 2 && p.ends_with(':') => {
                escaped = true;
                format!("{}%3A", &p[..1])
            }
            p => p.to_owned(),
        };
        parts.push(part);
    }
    // "%2F" stands for the leading "/" itself: no separator after it.
    let mut out = String::with_capacity(normal.len() + 8);
    for (i, part) in parts.iter().enumerate() {
        if i > 0 && !(i == 1 && parts[0] == "%2F") {
            out.push('/');
        }
        out.push_str(part);
    }
    let out = out.replace("!/", "%21/");
    let out = if out.ends_with('!') && out.len() > 1 {
        format!("{}%21", &out[..out.len() - 1])
    } else {
        out
    };
    (out, escaped)
}

/// Splits an id or path at its member separators: the file in the cache first, then each
/// member's name. A path with no separator is one part.
pub fn split_member_path(path: &str) -> Vec<&str> {
    path.split(MEMBER_SEPARATOR).collect()
}

/// `desk.mbox#3` → (`desk.mbox`, Some("3")): a mailbox's message names its record after `#`;
/// any other part is itself alone.
pub fn split_mailbox_record(part: &str) -> (&str, Option<&str>) {
    match part.rsplit_once('#') {
        Some((file, n))
            if file.to_lowercase().ends_with(".mbox")
                && !n.is_empty()
                && n.bytes().all(|b| b.is_ascii_digit()) =>
        {
            (file, Some(n))
        }
        _ => (part, None),
    }
}

/// The ids of the containers a member's id names, outermost first: `a.zip!/b.eml!/c.pdf` gives
/// `a.zip` and `a.zip!/b.eml`; a mailbox's message (`desk.mbox#3!/d.pdf`) gives the mailbox too.
pub fn containers_of(id: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut end = 0;
    while let Some(i) = id[end..].find(MEMBER_SEPARATOR) {
        let prefix = &id[..end + i];
        if let (mailbox, Some(_)) = split_mailbox_record(prefix) {
            out.push(mailbox);
        }
        out.push(prefix);
        end += i + MEMBER_SEPARATOR.len();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_names_stay_as_they_are() {
        assert_eq!(
            escape_member_name("tables/shipments.xlsx"),
            ("tables/shipments.xlsx".to_owned(), false)
        );
        assert_eq!(
            member_path("archive/bundle.zip", "tables/shipments.xlsx"),
            "archive/bundle.zip!/tables/shipments.xlsx"
        );
    }

    #[test]
    fn names_that_leave_their_folder_are_escaped_and_flagged() {
        assert_eq!(
            escape_member_name("../../etc/passwd"),
            ("%2E%2E/%2E%2E/etc/passwd".to_owned(), true)
        );
        assert_eq!(
            escape_member_name("/abs/path.txt"),
            ("%2Fabs/path.txt".to_owned(), true)
        );
        assert_eq!(
            escape_member_name("..\\win\\x.txt"),
            ("%2E%2E/win/x.txt".to_owned(), true)
        );
        assert_eq!(
            escape_member_name("C:\\Users\\x.doc"),
            ("C%3A/Users/x.doc".to_owned(), true)
        );
        assert_eq!(escape_member_name("a/./b"), ("a/%2E/b".to_owned(), true));
    }

    #[test]
    fn a_members_id_names_its_containers() {
        assert_eq!(
            containers_of("a.zip!/b.eml!/c.pdf"),
            ["a.zip", "a.zip!/b.eml"]
        );
        assert_eq!(
            containers_of("mail/desk.mbox#3!/d.pdf"),
            ["mail/desk.mbox", "mail/desk.mbox#3"]
        );
        assert!(containers_of("letters/a.txt").is_empty());
    }

    #[test]
    fn escaped_names_never_split_an_id_and_never_collide() {
        let (name, flagged) = escape_member_name("odd!/name.txt");
        assert_eq!(name, "odd%21/name.txt");
        assert!(!flagged);
        assert_eq!(escape_member_name("100%.txt").0, "100%25.txt");
        // A name that looks escaped is escaped again, so it differs from a real `..`.
        assert_ne!(
            escape_member_name("%2E%2E/x").0,
            escape_member_name("../x").0
        );
        let id = member_path("a.zip", &name);
        assert_eq!(split_member_path(&id), ["a.zip", "odd%21/name.txt"]);
    }
}
