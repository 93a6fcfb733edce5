//! An e-mail's attachment line links to each attachment, read as a member of the message: a click
//! on the name opens it, and its "In" line opens the message again; an attachment that could not
//! be read is plain text.

mod common;

use doctriage::gui::App;
use egui_kittest::kittest::Queryable as _;

const MAIL: &str = "From: Export Desk <desk@example.org>\r\n\
To: Archive <archive@example.org>\r\n\
Date: Tue, 17 Nov 2020 10:42:00 +0300\r\n\
Subject: Shipment list\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"b1\"\r\n\
\r\n\
--b1\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
\r\n\
The shipment list and the scan are attached.\r\n\
--b1\r\n\
Content-Type: text/plain; name=\"shipment_list.txt\"\r\n\
Content-Disposition: attachment; filename=\"shipment_list.txt\"\r\n\
\r\n\
1. Sights\r\n\
--b1\r\n\
Content-Type: application/pdf; name=\"scan.pdf\"\r\n\
Content-Disposition: attachment; filename=\"scan.pdf\"\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
JVBERi0xLjQK\r\n\
--b1--\r\n";

#[test]
fn a_click_on_an_attachment_name_opens_the_attachment_and_in_goes_back() {
    let cache = tempfile::tempdir().unwrap();
    common::write(cache.path(), "mail/shipment.eml", MAIL);
    common::write(
        cache.path(),
        "lists/shipment_list.txt",
        "Title: Shipment list\n\n1. Sights\n",
    );
    let root = cache.path().to_path_buf();
    let mut h = common::gui::harness_builder()
        .build_eframe(move |_cc| App::new_blocking_for_tests(root, None));
    h.run();
    assert!(h.state_mut().select_document("mail/shipment.eml"));
    h.run();
    // The PDF's bytes are no PDF: it is no document, its name is not a link.
    assert!(h.query_by_label("scan.pdf").is_some());
    common::gui::click(&mut h, "shipment_list.txt");
    let member = "mail/shipment.eml!/shipment_list.txt";
    assert_eq!(h.state().current_document_id(), Some(member));
    let doc = h.state().cache().document(member).unwrap().clone();
    assert_eq!(doc.parent.as_deref(), Some("mail/shipment.eml"));
    assert_eq!(doc.text.trim(), "1. Sights");
    common::gui::click(&mut h, "Shipment list (mail/shipment.eml)");
    assert_eq!(h.state().current_document_id(), Some("mail/shipment.eml"));
}
