//! EXIF metadata of scans (JPEG, TIFF, PNG, WebP) through `kamadak-exif`: the camera, its serial
//! numbers, the owner, the software and the GPS position — what can expose a source, kept as
//! metadata marked sensitive ([`crate::model::SENSITIVE_METADATA`]) — and the time it was taken.

use exif::{In, Tag};

/// The EXIF fields doctriage shows, as `(metadata key, value)`; empty without EXIF.
pub fn metadata(bytes: &[u8]) -> Vec<(&'static str, String)> {
    let Ok(exif) = exif::Reader::new().read_from_container(&mut std::io::Cursor::new(bytes)) else {
        return Vec::new();
    };
    let text = |tag: Tag| {
        exif.get_field(tag, In::PRIMARY)
            .map(|f| {
                f.display_value()
                    .to_string()
                    .trim_matches('"')
                    .trim()
                    .to_owned()
            })
            .filter(|v| !v.is_empty())
    };
    let mut out = Vec::new();
    let camera: Vec<String> = [Tag::Make, Tag::Model]
        .into_iter()
        .filter_map(text)
        .collect();
    if !camera.is_empty() {
        out.push(("exif camera", camera.join(" ")));
    }
    for (tag, key) in [
        (Tag::BodySerialNumber, "exif camera serial"),
        (Tag::LensSerialNumber, "exif lens serial"),
        (Tag::CameraOwnerName, "exif owner"),
        (Tag::Artist, "exif artist"),
        (Tag::Software, "exif software"),
        (Tag::DateTimeOriginal, "exif taken"),
    ] {
        if let Some(v) = text(tag) {
            out.push((key, v));
        }
    }
    let gps = |tag: Tag| {
        exif.get_field(tag, In::PRIMARY)
            .map(|f| f.display_value().with_unit(&exif).to_string())
    };
    if let (Some(lat), Some(lon)) = (gps(Tag::GPSLatitude), gps(Tag::GPSLongitude)) {
        let r = |t: Tag| text(t).unwrap_or_default();
        out.push((
            "exif gps",
            format!(
                "{lat} {}, {lon} {}",
                r(Tag::GPSLatitudeRef),
                r(Tag::GPSLongitudeRef)
            ),
        ));
    }
    out
}
