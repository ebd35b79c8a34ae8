//! The editor's form as it arrives: `multipart/form-data` (it can carry a photo), checked
//! like every inbox form (a live session, this site's `Origin`, the session's CSRF token)
//! before anything in it is used. The text fields come before the photo in the form, so a
//! photo that is too large still leaves every word she typed to show her again.

use super::access::{Refusal, SignedIn, refuse_after_reading, same_origin, same_secret};
use super::editor::Editor;
use axum::extract::{FromRequest, FromRequestParts, Multipart, Request};
use std::collections::HashMap;
use std::sync::Arc;

/// The largest photo taken (a phone's camera writes 2 to 12 MB).
pub(super) const MAX_PHOTO_BYTES: usize = 20 * 1024 * 1024;
/// A text field: an article of 30,000 words fits.
const MAX_TEXT_BYTES: usize = 256 * 1024;
/// The whole form: the photo, the text, and the parts' headers.
pub(super) const MAX_FORM_BYTES: usize = MAX_PHOTO_BYTES + 2 * 1024 * 1024;

/// An uploaded file as sent.
pub(super) struct Upload {
    pub(super) bytes: Vec<u8>,
}

/// The form, after the checks every inbox form passes.
pub(super) struct EditorForm {
    pub(super) session: SignedIn,
    fields: HashMap<String, String>,
    /// The photo chosen, if any.
    pub(super) photo: Option<Upload>,
    /// Why the photo was not taken (too large, not read to the end).
    pub(super) photo_problem: Option<String>,
    /// A text field longer than the editor takes (cut there).
    pub(super) too_long: Option<String>,
}

impl EditorForm {
    /// A text field as typed, line breaks as `\n`; empty when it was not sent.
    pub(super) fn text(&self, name: &str) -> String {
        self.fields
            .get(name)
            .map(|v| v.replace("\r\n", "\n"))
            .unwrap_or_default()
    }
}

impl FromRequest<Arc<Editor>> for EditorForm {
    type Rejection = Refusal;

    async fn from_request(request: Request, editor: &Arc<Editor>) -> Result<Self, Refusal> {
        let (mut parts, body) = request.into_parts();
        let session = match SignedIn::from_request_parts(&mut parts, &editor.inbox).await {
            Ok(session) if same_origin(&editor.inbox, &parts.headers) => session,
            Ok(_) => return Err(refuse_after_reading(body, Refusal::Forbidden).await),
            Err(refusal) => return Err(refuse_after_reading(body, refusal).await),
        };
        let mut multipart = Multipart::from_request(Request::from_parts(parts, body), &())
            .await
            .map_err(|_| Refusal::Forbidden)?;
        let mut fields = HashMap::new();
        let mut photo = None;
        let mut photo_problem = None;
        let mut too_long = None;
        loop {
            let mut field = match multipart.next_field().await {
                Ok(Some(field)) => field,
                Ok(None) => break,
                Err(e) => {
                    photo_problem = Some(too_large_or(e.status().as_u16() == 413));
                    break;
                }
            };
            let name = field.name().unwrap_or_default().to_owned();
            let is_file = field.file_name().is_some();
            let limit = if is_file {
                MAX_PHOTO_BYTES
            } else {
                MAX_TEXT_BYTES
            };
            let mut bytes = Vec::new();
            let mut over = false;
            loop {
                match field.chunk().await {
                    Ok(Some(chunk)) if bytes.len() + chunk.len() <= limit => {
                        bytes.extend_from_slice(&chunk);
                    }
                    Ok(Some(chunk)) => {
                        bytes.extend_from_slice(&chunk[..limit - bytes.len()]);
                        over = true;
                        break;
                    }
                    Ok(None) => break,
                    Err(e) => {
                        over = e.status().as_u16() == 413 || !is_file;
                        photo_problem = Some(too_large_or(over));
                        break;
                    }
                }
            }
            if is_file {
                if over {
                    photo_problem = Some(too_large_or(true));
                    break;
                }
                // A file input left empty sends a part with no name and no bytes.
                if !bytes.is_empty() {
                    photo = Some(Upload { bytes });
                }
            } else {
                if over {
                    too_long = Some(format!(
                        "This text is longer than the editor takes ({} KB): it was cut there. Shorten it, or split it into two articles.",
                        MAX_TEXT_BYTES / 1024
                    ));
                }
                fields.insert(name, String::from_utf8_lossy(&bytes).into_owned());
            }
        }
        let token = fields.get("csrf").map(String::as_str).unwrap_or_default();
        if !same_secret(token, &session.csrf) {
            return Err(Refusal::Forbidden);
        }
        Ok(Self {
            session,
            fields,
            photo,
            photo_problem,
            too_long,
        })
    }
}

fn too_large_or(too_large: bool) -> String {
    if too_large {
        format!(
            "This photo is larger than {} MB. Choose a smaller one (a phone's camera photo is 2 to 12 MB).",
            MAX_PHOTO_BYTES / (1024 * 1024)
        )
    } else {
        "The photo did not arrive whole. Choose it again.".to_owned()
    }
}
