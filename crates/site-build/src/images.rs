//! Photos: every file in `content/images/` published into the site's `images/` at the widths
//! `massage_core::articles::photos` decides, as WebP and JPEG, upright (the EXIF orientation
//! applied) and with no metadata at all: a phone's photo carries where it was taken, which
//! must never be published. The files are named after a hash of the photo, so a file already
//! in the site is the same photo: a publish (which starts from a copy of the last site)
//! encodes only new photos and stays a few seconds.
//!
//! Photos uploaded in the inbox are made ready here too (`prepare_upload`): upright, no
//! metadata, at most `MAX_KEPT_SIDE` pixels, as the JPEG kept in `content/images/`.

use fast_image_resize::images::{Image as Pixels, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::codecs::jpeg::JpegEncoder;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, RgbImage};
use massage_core::articles::photos::{PHOTO_EXTENSIONS, Photo, PhotoFormat, Photos};
use massage_core::services::is_slug;
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::io::Cursor;
use std::path::Path;

/// JPEG quality of the published files: no visible loss on a phone at the sizes shown.
const JPEG_QUALITY: u8 = 82;
/// WebP quality: about the JPEG's look, in about two thirds of its bytes (see the tests).
const WEBP_QUALITY: f32 = 78.0;
/// The photo kept in `content/images/` from an upload: twice the widest published width, so
/// a wider one can be added later, and a tenth of a phone camera's file.
pub const MAX_KEPT_SIDE: u32 = 2400;
/// Quality of that kept JPEG: it is encoded again when published.
const KEPT_QUALITY: u8 = 90;
/// Larger pictures are refused before they are decoded: a file of a few kilobytes can claim
/// a size that takes gigabytes to decode. The largest phone photos are 50 megapixels.
const MAX_SIDE: u32 = 12_000;
const MAX_PIXELS: u64 = 64_000_000;
/// The most one decoding step may allocate: the largest picture allowed, as RGBA.
const MAX_DECODE_BYTES: u64 = MAX_PIXELS * 4;

/// What publishing the photos did.
#[derive(Debug, Default)]
pub struct PublishedPhotos {
    /// Every photo, for the Markdown pipeline.
    pub photos: Photos,
    /// Files encoded now (new photos); the others were in the site already.
    pub encoded: usize,
}

/// Reads every photo in `images` (a missing folder has none), writes the published files
/// each lacks into `out` (the site's `images/`), and removes files there that belong to no
/// photo (one deleted or replaced). Each problem names the file.
pub fn publish_photos(images: &Path, out: &Path) -> Result<PublishedPhotos, Vec<String>> {
    let found = read_folder(images)?;
    let io = |e: std::io::Error| vec![format!("{}: {e}", out.display())];
    let mut published = PublishedPhotos::default();
    let mut errors = Vec::new();
    let mut wanted = HashSet::new();
    for (photo, bytes) in found {
        for width in photo.widths() {
            for format in PhotoFormat::ALL {
                wanted.insert(photo.file_name(width, format));
            }
        }
        match write_missing(&photo, &bytes, out) {
            Ok(n) => published.encoded += n,
            Err(e) => errors.push(format!("{}/{}: {e}", images.display(), photo.file)),
        }
        published.photos.insert(photo);
    }
    match std::fs::read_dir(out) {
        Ok(entries) => {
            for entry in entries {
                let entry = entry.map_err(io)?;
                let name = entry.file_name().to_string_lossy().into_owned();
                if !wanted.contains(&name) {
                    std::fs::remove_file(entry.path()).map_err(io)?;
                }
            }
        }
        // No photo was ever published here.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io(e)),
    }
    if errors.is_empty() {
        Ok(published)
    } else {
        Err(errors)
    }
}

/// Writes one photo's published files into `out` (the site's `images/`) if they are not
/// there: the inbox does this when a photo is uploaded, so its preview shows the photo as
/// the site will, and the publish after it has nothing left to encode.
pub fn publish_photo(images: &Path, file: &str, out: &Path) -> Result<Photo, String> {
    let (photo, bytes) = read_photo(&images.join(file), file)?;
    write_missing(&photo, &bytes, out)?;
    Ok(photo)
}

/// Every photo in `images`, for the Markdown pipeline, without writing anything.
pub fn catalog(images: &Path) -> Result<Photos, Vec<String>> {
    let mut photos = Photos::default();
    for (photo, _) in read_folder(images)? {
        photos.insert(photo);
    }
    Ok(photos)
}

/// Why an upload is not kept.
#[derive(Debug, PartialEq, Eq)]
pub enum UploadRefusal {
    /// Not a JPEG, PNG or WebP (what it is, when known).
    NotAPhoto(String),
    /// A photo that cannot be read (damaged, or too large to decode).
    Unreadable(String),
}

impl std::fmt::Display for UploadRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotAPhoto(what) => write!(
                f,
                "This file is {what}, not a photo the site can show: choose a JPEG, PNG or WebP photo."
            ),
            Self::Unreadable(why) => write!(
                f,
                "This photo could not be read ({why}). Try another, or take it again."
            ),
        }
    }
}

/// An uploaded file made ready to keep in `content/images/`: refused unless it is a JPEG,
/// PNG or WebP (by its bytes, whatever it is called), turned upright, made at most
/// `MAX_KEPT_SIDE` pixels on its longer side, and encoded as JPEG with no metadata (no
/// location, camera or time).
pub fn prepare_upload(bytes: &[u8]) -> Result<Vec<u8>, UploadRefusal> {
    let format = image::guess_format(bytes)
        .map_err(|_| UploadRefusal::NotAPhoto("of a kind the site does not know".into()))?;
    if !matches!(
        format,
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP
    ) {
        return Err(UploadRefusal::NotAPhoto(format!(
            "a {} image",
            format
                .extensions_str()
                .first()
                .unwrap_or(&"other")
                .to_uppercase()
        )));
    }
    let image = opaque(&decode(bytes).map_err(UploadRefusal::Unreadable)?);
    let (width, height) = image.dimensions();
    let longer = width.max(height);
    let image = if longer > MAX_KEPT_SIDE {
        let scale = |side: u32| {
            ((u64::from(side) * u64::from(MAX_KEPT_SIDE) + u64::from(longer) / 2)
                / u64::from(longer))
            .max(1) as u32
        };
        resize(&image, scale(width), scale(height)).map_err(UploadRefusal::Unreadable)?
    } else {
        image
    };
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, KEPT_QUALITY)
        .encode_image(&image)
        .map_err(|e| UploadRefusal::Unreadable(e.to_string()))?;
    Ok(jpeg)
}

/// Every photo in the folder with its bytes, or every problem, each naming its file. Hidden
/// files (`.DS_Store`) are skipped.
fn read_folder(images: &Path) -> Result<Vec<(Photo, Vec<u8>)>, Vec<String>> {
    let entries = match std::fs::read_dir(images) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(vec![format!("{}: {e}", images.display())]),
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for name in names {
        match read_photo(&images.join(&name), &name) {
            Ok(photo) => found.push(photo),
            Err(e) => errors.push(format!("{}/{name}: {e}", images.display())),
        }
    }
    if errors.is_empty() {
        Ok(found)
    } else {
        Err(errors)
    }
}

/// One photo's name, hash and upright size, read from its header (not decoded).
fn read_photo(path: &Path, name: &str) -> Result<(Photo, Vec<u8>), String> {
    let (stem, extension) = name.rsplit_once('.').unwrap_or((name, ""));
    if !PHOTO_EXTENSIONS.contains(&extension) || !is_slug(stem) {
        return Err(format!(
            "a photo's file name must be lowercase words joined by hyphens, ending in {} (like back-pain-1.jpg)",
            PHOTO_EXTENSIONS.map(|e| format!(".{e}")).join(", ")
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let upright = {
        let mut decoder = reader(&bytes)
            .and_then(|r| r.into_decoder())
            .map_err(|e| format!("not a photo the site can read: {e}"))?;
        let (width, height) = decoder.dimensions();
        match decoder.orientation().unwrap_or(Orientation::NoTransforms) {
            Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH => (height, width),
            _ => (width, height),
        }
    };
    let hash = format!("{:x}", Sha256::digest(&bytes));
    let photo = Photo {
        file: name.to_owned(),
        stem: format!("{stem}-{}", &hash[..12]),
        width: upright.0,
        height: upright.1,
    };
    Ok((photo, bytes))
}

/// Encodes the published files of `photo` that `out` lacks: how many it wrote.
fn write_missing(photo: &Photo, bytes: &[u8], out: &Path) -> Result<usize, String> {
    let missing: Vec<(u32, PhotoFormat)> = photo
        .widths()
        .into_iter()
        .flat_map(|w| PhotoFormat::ALL.map(|f| (w, f)))
        .filter(|(w, f)| !out.join(photo.file_name(*w, *f)).is_file())
        .collect();
    if missing.is_empty() {
        return Ok(0);
    }
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let image = opaque(&decode(bytes)?);
    let mut written = 0;
    let mut resized: Option<(u32, RgbImage)> = None;
    for (width, format) in missing {
        if resized.as_ref().is_none_or(|(w, _)| *w != width) {
            let height = photo.height_at(width);
            let scaled = if (width, height) == image.dimensions() {
                image.clone()
            } else {
                resize(&image, width, height)?
            };
            resized = Some((width, scaled));
        }
        let (_, rgb) = resized.as_ref().expect("resized above");
        let encoded = encode(rgb, format)?;
        let path = out.join(photo.file_name(width, format));
        // Named after the whole file name: `-800.webp` and `-800.jpg` never share one.
        let partial = out.join(format!(".{}.partial", photo.file_name(width, format)));
        std::fs::write(&partial, encoded)
            .and_then(|()| std::fs::rename(&partial, &path))
            .map_err(|e| format!("{}: {e}", path.display()))?;
        written += 1;
    }
    Ok(written)
}

fn encode(rgb: &RgbImage, format: PhotoFormat) -> Result<Vec<u8>, String> {
    match format {
        PhotoFormat::Jpeg => {
            let mut jpeg = Vec::new();
            JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY)
                .encode_image(rgb)
                .map_err(|e| e.to_string())?;
            Ok(jpeg)
        }
        PhotoFormat::Webp => Ok(webp::Encoder::from_rgb(rgb, rgb.width(), rgb.height())
            .encode(WEBP_QUALITY)
            .to_vec()),
    }
}

fn reader(bytes: &[u8]) -> image::ImageResult<ImageReader<Cursor<&[u8]>>> {
    let mut reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format()?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    Ok(reader)
}

/// The photo decoded and turned upright.
fn decode(bytes: &[u8]) -> Result<DynamicImage, String> {
    let mut decoder = reader(bytes)
        .and_then(|r| r.into_decoder())
        .map_err(|e| e.to_string())?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(format!(
            "it is {width} x {height} pixels: photos up to {} megapixels can be used",
            MAX_PIXELS / 1_000_000
        ));
    }
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
    image.apply_orientation(orientation);
    Ok(image)
}

/// `image` at `width` x `height`, with a Lanczos filter (sharp, without ringing at these
/// reductions), using the processor's vector instructions: a phone photo takes tens of
/// milliseconds, where a plain implementation takes seconds.
fn resize(image: &RgbImage, width: u32, height: u32) -> Result<RgbImage, String> {
    // Read in place: a copy of a large photo's pixels would double the memory it takes.
    let from = ImageRef::new(
        image.width(),
        image.height(),
        image.as_raw(),
        PixelType::U8x3,
    )
    .map_err(|e| e.to_string())?;
    let mut to = Pixels::new(width, height, PixelType::U8x3);
    Resizer::new()
        .resize(
            &from,
            &mut to,
            &ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3)),
        )
        .map_err(|e| e.to_string())?;
    RgbImage::from_raw(width, height, to.into_vec()).ok_or_else(|| "resizing failed".to_owned())
}

/// RGB, transparent parts on white (the page's photos are opaque JPEG and WebP).
fn opaque(image: &DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.to_rgb8();
    }
    let rgba = image.to_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let over_white =
            |c: u8| ((u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a))) / 255) as u8;
        image::Rgb([over_white(r), over_white(g), over_white(b)])
    })
}

#[cfg(test)]
mod tests;
