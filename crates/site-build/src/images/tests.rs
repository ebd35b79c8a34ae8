use super::*;
use image::{GenericImageView, Rgb};

/// A photo-like picture: smooth light and shade with fine texture, red on the left half and
/// blue on the right, so a turn shows where the halves went.
fn picture(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        let grain = ((x * 7919 + y * 104_729) % 23) as u8;
        let shade = (y * 120 / height) as u8;
        if x < width / 2 {
            Rgb([200 - shade / 2 + grain, 40 + grain, 40 + shade / 3])
        } else {
            Rgb([30 + grain, 60 + shade / 2, 210 - shade / 3 + grain])
        }
    })
}

fn jpeg(image: &RgbImage) -> Vec<u8> {
    let mut bytes = Vec::new();
    JpegEncoder::new_with_quality(&mut bytes, 92)
        .encode_image(image)
        .unwrap();
    bytes
}

const SECRET: &[u8] = b"GPS 51.5072N 0.1276W taken at her flat";

/// The JPEG with an EXIF block, as a phone writes it: orientation 6 (turn 90 degrees
/// clockwise to show it) and a GPS block, plus a description holding `SECRET`.
fn with_exif(jpeg: &[u8]) -> Vec<u8> {
    let mut tiff: Vec<u8> = b"MM\0\x2a\0\0\0\x08".to_vec();
    let entries: u16 = 3;
    let after_ifd = 8 + 2 + 12 * u32::from(entries) + 4;
    let gps_ifd = after_ifd + SECRET.len() as u32 + 1;
    tiff.extend(entries.to_be_bytes());
    // Orientation: SHORT 6.
    tiff.extend([0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0]);
    // ImageDescription: ASCII, stored after the IFD.
    tiff.extend([0x01, 0x0e, 0, 2]);
    tiff.extend((SECRET.len() as u32 + 1).to_be_bytes());
    tiff.extend(after_ifd.to_be_bytes());
    // GPSInfo: a pointer to the GPS IFD.
    tiff.extend([0x88, 0x25, 0, 4, 0, 0, 0, 1]);
    tiff.extend(gps_ifd.to_be_bytes());
    tiff.extend([0, 0, 0, 0]);
    tiff.extend(SECRET);
    tiff.push(0);
    // The GPS IFD: GPSLatitudeRef "N".
    tiff.extend([0, 1, 0, 1, 0, 2, 0, 0, 0, 2, b'N', 0, 0, 0, 0, 0, 0, 0]);
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(tiff);
    let mut out = jpeg[..2].to_vec();
    out.extend([0xff, 0xe1]);
    out.extend((app1.len() as u16 + 2).to_be_bytes());
    out.extend(app1);
    out.extend(&jpeg[2..]);
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn is_red(p: Rgb<u8>) -> bool {
    p.0[0] > 120 && p.0[2] < 110
}

#[test]
fn a_phone_photo_is_published_upright_at_each_width_without_its_location() {
    let content = tempfile::tempdir().unwrap();
    let site = tempfile::tempdir().unwrap();
    let phone = with_exif(&jpeg(&picture(1600, 1000)));
    assert!(contains(&phone, SECRET) && contains(&phone, b"Exif"));
    std::fs::write(content.path().join("table.jpg"), &phone).unwrap();
    let out = site.path().join("images");
    let done = publish_photos(content.path(), &out).unwrap();
    let photo = done.photos.at("/images/table.jpg").unwrap().clone();
    assert_eq!((photo.width, photo.height), (1000, 1600), "upright");
    assert_eq!(photo.widths(), [480, 800, 1000]);
    assert_eq!(done.encoded, 6);
    for width in photo.widths() {
        for format in PhotoFormat::ALL {
            let bytes = std::fs::read(out.join(photo.file_name(width, format))).unwrap();
            assert!(
                !contains(&bytes, SECRET),
                "{width} {format:?} keeps the location"
            );
            assert!(!contains(&bytes, b"Exif"), "{width} {format:?} keeps EXIF");
            let shown = image::load_from_memory(&bytes).unwrap();
            assert_eq!(shown.dimensions(), (width, photo.height_at(width)));
            let top = shown.to_rgb8().get_pixel(width / 2, 10).to_owned();
            let bottom = shown
                .to_rgb8()
                .get_pixel(width / 2, shown.height() - 10)
                .to_owned();
            assert!(
                is_red(top) && !is_red(bottom),
                "{width} {format:?}: the left half is now the top ({top:?}, {bottom:?})"
            );
        }
    }
}

#[test]
fn an_unchanged_photo_is_not_encoded_again_and_a_removed_ones_files_go() {
    let content = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    std::fs::write(content.path().join("a.jpg"), jpeg(&picture(900, 600))).unwrap();
    std::fs::write(content.path().join("b.png"), {
        let mut png = Vec::new();
        DynamicImage::ImageRgb8(picture(300, 200))
            .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
            .unwrap();
        png
    })
    .unwrap();
    let first = publish_photos(content.path(), out.path()).unwrap();
    assert_eq!(first.encoded, 3 * 2 + 2);
    let a = first.photos.at("/images/a.jpg").unwrap().clone();
    let kept = out.path().join(a.file_name(800, PhotoFormat::Webp));
    let then = std::fs::metadata(&kept).unwrap().modified().unwrap();
    let again = publish_photos(content.path(), out.path()).unwrap();
    assert_eq!(again.encoded, 0);
    assert_eq!(std::fs::metadata(&kept).unwrap().modified().unwrap(), then);
    // Replaced by another photo under the same name: new addresses, the old files go.
    std::fs::write(content.path().join("a.jpg"), jpeg(&picture(600, 600))).unwrap();
    std::fs::remove_file(content.path().join("b.png")).unwrap();
    let replaced = publish_photos(content.path(), out.path()).unwrap();
    assert_ne!(replaced.photos.at("/images/a.jpg").unwrap().stem, a.stem);
    let mut left: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    left.sort();
    let stem = &replaced.photos.at("/images/a.jpg").unwrap().stem;
    assert_eq!(
        left,
        [
            format!("{stem}-480.jpg"),
            format!("{stem}-480.webp"),
            format!("{stem}-600.jpg"),
            format!("{stem}-600.webp"),
        ]
    );
}

#[test]
fn the_webp_files_are_smaller_than_the_jpegs() {
    let content = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    std::fs::write(content.path().join("p.jpg"), jpeg(&picture(1600, 1200))).unwrap();
    let photo = publish_photos(content.path(), out.path())
        .unwrap()
        .photos
        .at("/images/p.jpg")
        .unwrap()
        .clone();
    for width in photo.widths() {
        let size = |format| {
            std::fs::metadata(out.path().join(photo.file_name(width, format)))
                .unwrap()
                .len()
        };
        assert!(
            size(PhotoFormat::Webp) < size(PhotoFormat::Jpeg),
            "{width}: webp {} bytes, jpeg {}",
            size(PhotoFormat::Webp),
            size(PhotoFormat::Jpeg)
        );
    }
}

#[test]
fn files_that_are_not_photos_or_badly_named_are_refused_naming_the_file() {
    let content = tempfile::tempdir().unwrap();
    std::fs::write(content.path().join("notes.jpg"), "not a photo").unwrap();
    std::fs::write(content.path().join("IMG 2041.JPG"), jpeg(&picture(10, 10))).unwrap();
    std::fs::write(content.path().join(".DS_Store"), "finder").unwrap();
    let errors = catalog(content.path()).unwrap_err();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors[0].ends_with("/IMG 2041.JPG: a photo's file name must be lowercase words joined by hyphens, ending in .jpg, .jpeg, .png, .webp (like back-pain-1.jpg)"),
        "{errors:?}"
    );
    assert!(
        errors[1].contains("/notes.jpg: not a photo the site can read"),
        "{errors:?}"
    );
    assert!(
        catalog(&content.path().join("missing"))
            .unwrap()
            .iter()
            .next()
            .is_none()
    );
}

#[test]
fn an_upload_is_kept_upright_smaller_and_without_metadata_and_other_files_are_refused() {
    let phone = with_exif(&jpeg(&picture(3200, 2000)));
    let kept = prepare_upload(&phone).unwrap();
    assert!(!contains(&kept, SECRET) && !contains(&kept, b"Exif"));
    let shown = image::load_from_memory(&kept).unwrap();
    assert_eq!(shown.dimensions(), (1500, MAX_KEPT_SIDE));
    assert!(is_red(*shown.to_rgb8().get_pixel(750, 10)));
    assert_eq!(
        prepare_upload(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
        Err(UploadRefusal::NotAPhoto("a GIF image".into()))
    );
    assert!(matches!(
        prepare_upload(b"%PDF-1.7 a document"),
        Err(UploadRefusal::NotAPhoto(_))
    ));
    assert!(matches!(
        prepare_upload(&phone[..300]),
        Err(UploadRefusal::Unreadable(_))
    ));
    assert!(
        UploadRefusal::NotAPhoto("a GIF image".into())
            .to_string()
            .contains("choose a JPEG, PNG or WebP photo")
    );
}

/// A real 1 x 1 PNG whose header claims `width` x `height` (its checksum made right, so the
/// header is believed): a few bytes that would decode to gigabytes.
fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = Vec::new();
    image::GrayImage::new(1, 1)
        .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
        .unwrap();
    // The signature (8 bytes), then IHDR: length (4), type (4), width (4), height (4), ...
    bytes[16..20].copy_from_slice(&width.to_be_bytes());
    bytes[20..24].copy_from_slice(&height.to_be_bytes());
    let crc = crc32(&bytes[12..29]);
    bytes[29..33].copy_from_slice(&crc.to_be_bytes());
    bytes
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn a_small_file_claiming_a_huge_picture_is_refused_before_it_is_decoded() {
    let Err(UploadRefusal::Unreadable(why)) = prepare_upload(&png_claiming(10_000, 9_000)) else {
        panic!("a 90 megapixel claim was decoded");
    };
    assert!(
        why.contains("10000 x 9000") && why.contains("64 megapixels"),
        "{why}"
    );
    assert!(matches!(
        prepare_upload(&png_claiming(40_000, 100)),
        Err(UploadRefusal::Unreadable(_))
    ));
}
