//! Mailboxes (mbox: messages after `From ` lines, `>From ` unquoted), one member per message,
//! named by its 1-based number.

use std::io::Cursor;

use mail_parser::mailbox::mbox::MessageIterator;

use super::{Budget, Member, Want};

/// The messages of an mbox file; each member's name is its number (`"3"`).
pub(super) fn messages(
    bytes: &[u8],
    budget: &mut Budget,
    want: Want<'_>,
) -> Result<Vec<Member>, String> {
    if !bytes.starts_with(b"From ") {
        return Err("not an mbox mailbox (it does not start with a \"From \" line)".to_owned());
    }
    let mut out = Vec::new();
    for (i, message) in MessageIterator::new(Cursor::new(bytes)).enumerate() {
        let name = (i + 1).to_string();
        if !want.wants(&name) {
            continue;
        }
        let content = match message {
            Err(e) => Err(format!("cannot be read ({e})")),
            Ok(m) => {
                let size = m.contents().len() as u64;
                budget
                    .admit(Some(size), None)
                    .map(|_| m.contents().to_vec())
            }
        };
        let member = Member {
            name,
            escaped: false,
            content,
        };
        if super::archive::keep(&mut out, budget, want, member) {
            break;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::Limits;
    use super::*;

    #[test]
    fn messages_split_at_from_lines_and_are_unquoted() {
        let mbox = b"From a@x.example Mon Jan  1 00:00:00 2021\nSubject: one\n\nbody\n>From the desk\n\nFrom b@x.example Tue Jan  2 00:00:00 2021\nSubject: two\n\nsecond\n";
        let mut budget = Budget::new(&Limits::default());
        let members = messages(mbox, &mut budget, Want::All).unwrap();
        assert_eq!(members.len(), 2);
        assert_eq!(members[1].name, "2");
        let first = String::from_utf8(members[0].content.clone().unwrap()).unwrap();
        assert!(first.contains("\nFrom the desk"), "{first}");
        let only = messages(mbox, &mut budget, Want::Only("2")).unwrap();
        assert_eq!(only.len(), 1);
        assert!(messages(b"Subject: x\n\nno", &mut budget, Want::All).is_err());
    }
}
