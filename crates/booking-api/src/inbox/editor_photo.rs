//! A photo chosen with the editor's form: made ready (upright, no metadata), kept in the
//! content folder, its published sizes written into the site, and the Markdown line that
//! shows it added to the text.

use super::access::Refusal;
use super::editor::blocking;
use super::editor_form::EditorForm;
use crate::content_folder::ContentFolder;
use crate::publishing::Publisher;
use site_build::images::{UploadRefusal, prepare_upload};

/// Why a photo was not taken, shown next to the field it is about.
pub(super) enum PhotoProblem {
    /// The file (too large, not a photo, unreadable).
    Photo(String),
    /// Its description (missing, or given without a photo).
    Description(String),
}

/// One photo is made ready at a time: decoding a large photo takes hundreds of megabytes,
/// and two at once on a small server could run it out of memory.
static PREPARING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);

/// The photo chosen with the form, made ready, kept and published, as the Markdown that
/// shows it (added at the end of the text); `Ok(None)` when no photo came; `Err` says why it
/// was not taken.
pub(super) async fn add_photo(
    folder: &ContentFolder,
    publisher: &Publisher,
    slug: &str,
    form: &EditorForm,
    alt: &str,
) -> Result<Result<Option<String>, PhotoProblem>, Refusal> {
    if let Some(problem) = &form.photo_problem {
        return Ok(Err(PhotoProblem::Photo(problem.clone())));
    }
    let Some(upload) = &form.photo else {
        return Ok(if alt.trim().is_empty() {
            Ok(None)
        } else {
            Err(PhotoProblem::Description(
                "Choose the photo this description is for.".into(),
            ))
        });
    };
    if alt.trim().is_empty() {
        return Ok(Err(PhotoProblem::Description(
            "Say what the photo shows, for people who cannot see it, then choose the photo again."
                .into(),
        )));
    }
    let bytes = upload.bytes.clone();
    let prepared = {
        let _one_at_a_time = PREPARING.acquire().await.expect("never closed");
        tokio::task::spawn_blocking(move || prepare_upload(&bytes))
            .await
            .map_err(|e| Refusal::Unreadable(e.to_string()))?
    };
    let jpeg = match prepared {
        Ok(jpeg) => jpeg,
        Err(refusal @ (UploadRefusal::NotAPhoto(_) | UploadRefusal::Unreadable(_))) => {
            return Ok(Err(PhotoProblem::Photo(refusal.to_string())));
        }
    };
    let publishing = publisher.begin().await;
    let name = {
        let (folder, slug) = (folder.clone(), slug.to_owned());
        blocking(move || folder.add_photo(&slug, &jpeg)).await?
    };
    if let Err(e) = publishing.publish_photo(name.clone()).await {
        return Err(Refusal::Unreadable(format!(
            "publishing the photo {name}: {e}"
        )));
    }
    tracing::info!(photo = %name, "inbox: photo added");
    Ok(Ok(Some(format!(
        "\n\n![{}](/images/{name})\n",
        markdown_text(alt.trim())
    ))))
}

/// A photo's description as Markdown shows it: the marks that would end it, format it or
/// start HTML or an entity escaped (commas and apostrophes stay as typed, so the line reads
/// well when she moves it), line breaks as spaces (a description is one line).
fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\r' | '\n' => out.push(' '),
            '\\' | '[' | ']' | '*' | '_' | '`' | '<' | '>' | '&' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use massage_core::articles::markdown;
    use massage_core::articles::photos::Photos;

    #[test]
    fn a_photo_description_is_shown_as_typed() {
        let alt = r#"A table ](javascript:x) <b>*bold*</b> \ &lt; _line_ `code`"#;
        let md = format!(
            "![{}](/images/x.jpg)",
            markdown_text(&format!("{alt}\r\nnext"))
        );
        let mut photos = Photos::default();
        photos.insert(massage_core::articles::photos::Photo {
            file: "x.jpg".into(),
            stem: "x-0123456789ab".into(),
            width: 800,
            height: 600,
        });
        let rendered = markdown::render(&md, &photos);
        assert!(rendered.problems.is_empty(), "{:?}", rendered.problems);
        assert_eq!(
            rendered.lead_photo.unwrap().alt,
            format!("{alt}  next"),
            "{}",
            rendered.html
        );
    }
}
