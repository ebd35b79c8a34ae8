//! The article editor in the inbox (`/inbox/articles`): she writes, previews, saves drafts,
//! adds photos and publishes from her phone, without JavaScript. Only when the receiver has
//! a content folder (`--content`).
//!
//! Nothing is checked here in a way of its own: the form becomes the file an author would
//! write (`ArticleForm::to_file`), and the build's own checks (`site_build::check`) read it
//! with every other article; each problem is shown next to the field its line belongs to.
//! Every button saves her work first (as a draft, `content_folder.rs`): an error never loses
//! it. Publishing writes the published file, then publishes (`publishing.rs`); when the
//! publish is refused the file is put back as it was, the site stays as it was, and her
//! changes stay a draft.

use super::access::{Refusal, SignedIn};
use super::editor_form::{EditorForm, MAX_FORM_BYTES};
use super::editor_pages::{self, EditPage, Notice, Problems};
use super::editor_photo::{PhotoProblem, add_photo};
use super::{Inbox, page};
use crate::api::now_seconds;
use crate::content_folder::ContentFolder;
use crate::publishing::Publisher;
use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRequestParts, Path, Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use massage_core::ContentError;
use massage_core::articles::article_form::is_address;
use massage_core::articles::article_form::{ArticleForm, Field, address_for};
use massage_core::articles::markdown;
use massage_core::articles::photos::Photos;
use massage_core::calendar::Date;
use serde::Deserialize;
use std::sync::Arc;

pub(super) struct Editor {
    pub(super) inbox: Arc<Inbox>,
    /// The content folder and the publisher; `None` when the receiver has no `--content`.
    on: Option<(ContentFolder, Arc<Publisher>)>,
}

impl Editor {
    fn on(&self) -> Result<(&ContentFolder, &Publisher), EditorOff> {
        self.on
            .as_ref()
            .map(|(folder, publisher)| (folder, publisher.as_ref()))
            .ok_or(EditorOff)
    }
}

pub(super) fn router(inbox: Arc<Inbox>, publisher: Option<Arc<Publisher>>) -> Router {
    let on = publisher.map(|p| (ContentFolder::new(&p.content), p));
    Router::new()
        .route("/inbox/articles", get(list))
        .route("/inbox/articles/new", get(new_article).post(create))
        .route("/inbox/articles/{slug}", get(edit).post(update))
        .route(
            "/inbox/articles/{slug}/versions/{name}",
            get(version).post(restore),
        )
        .route(
            "/inbox/articles/{slug}/discard",
            get(confirm_discard).post(discard),
        )
        // A photo from a phone's camera is larger than any other inbox form.
        .layer(DefaultBodyLimit::max(MAX_FORM_BYTES))
        .with_state(Arc::new(Editor { inbox, on }))
}

/// A live session, for the editor's pages.
struct Session(SignedIn);

impl FromRequestParts<Arc<Editor>> for Session {
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, editor: &Arc<Editor>) -> Result<Self, Refusal> {
        SignedIn::from_request_parts(parts, &editor.inbox)
            .await
            .map(Self)
    }
}

/// Runs file work off the async threads; an I/O error is a 500 page with its cause logged.
pub(super) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> std::io::Result<T> + Send + 'static,
) -> Result<T, Refusal> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| Refusal::Unreadable(e.to_string()))?
        .map_err(|e| Refusal::Unreadable(format!("the content folder: {e}")))
}

/// The receiver has no content folder: its answer is `Refusal::EditorOff`.
struct EditorOff;

impl From<EditorOff> for Refusal {
    fn from(_: EditorOff) -> Self {
        Refusal::EditorOff
    }
}

fn folder_of(editor: &Arc<Editor>) -> Result<ContentFolder, EditorOff> {
    let (folder, _) = editor.on()?;
    Ok(folder.clone())
}

async fn list(
    State(editor): State<Arc<Editor>>,
    Session(session): Session,
    Query(query): Query<EditQuery>,
) -> Result<Response, Refusal> {
    let folder = folder_of(&editor)?;
    let today = site_build::london_today();
    let articles = blocking(move || folder.list(today)).await?;
    let discarded = query.done.as_deref() == Some("discarded");
    let failure = editor.on()?.1.failure();
    Ok(page(
        StatusCode::OK,
        editor_pages::list(&articles, discarded, &session, failure.as_ref()),
    ))
}

async fn new_article(
    State(editor): State<Arc<Editor>>,
    Session(session): Session,
) -> Result<Response, Refusal> {
    let folder = folder_of(&editor)?;
    let categories = blocking(move || folder.categories()).await?;
    let form = ArticleForm {
        date: site_build::london_today().to_string(),
        ..ArticleForm::default()
    };
    let view = EditPage {
        slug: None,
        form: &form,
        address: "",
        photo_alt: "",
        categories: &categories,
        status: editor_pages::Status::New,
        notice: None,
        problems: &Problems::default(),
        preview: None,
        history: &[],
        session: &session,
        today: site_build::london_today(),
        take_off: false,
    };
    Ok(page(StatusCode::OK, editor_pages::edit(&view)))
}

#[derive(Deserialize)]
struct EditQuery {
    preview: Option<String>,
    done: Option<String>,
}

/// What the article's page shows now: her draft if she has one, else the published file.
struct Loaded {
    form: ArticleForm,
    unreadable: Option<String>,
    live: Option<String>,
    draft_saved: Option<i64>,
    history: Vec<String>,
    categories: Vec<String>,
}

async fn load(folder: ContentFolder, slug: String) -> Result<Option<Loaded>, Refusal> {
    blocking(move || {
        let live = folder.live(&slug)?;
        let draft = folder.draft(&slug)?;
        let Some(text) = draft.as_ref().map(|(t, _)| t).or(live.as_ref()) else {
            return Ok(None);
        };
        let (form, unreadable) = ArticleForm::from_file(text);
        Ok(Some(Loaded {
            form,
            unreadable,
            draft_saved: draft.as_ref().map(|(_, saved)| *saved),
            live,
            history: folder.history(&slug)?,
            categories: folder.categories()?,
        }))
    })
    .await
}

async fn edit(
    State(editor): State<Arc<Editor>>,
    Session(session): Session,
    Path(slug): Path<String>,
    Query(query): Query<EditQuery>,
) -> Result<Response, Refusal> {
    if !is_address(&slug) {
        return Err(Refusal::NotFound);
    }
    let folder = folder_of(&editor)?;
    let loaded = load(folder.clone(), slug.clone())
        .await?
        .ok_or(Refusal::NotFound)?;
    let today = site_build::london_today();
    let checked = check(folder, slug.clone(), loaded.form.clone(), today).await?;
    let mut problems = Problems::placed(&checked.placed);
    if let Some(reason) = &loaded.unreadable {
        problems.add(
            Field::Title,
            format!("The file's front matter cannot be read ({reason}): fill in the fields again."),
        );
    }
    let status = editor_pages::Status::of(loaded.live.as_deref(), loaded.draft_saved, today);
    let notice = query
        .done
        .as_deref()
        .and_then(|done| Notice::after(done, &status));
    let preview = query
        .preview
        .is_some()
        .then(|| markdown::render(&loaded.form.body, &checked.photos).html);
    let view = EditPage {
        slug: Some(&slug),
        form: &loaded.form,
        address: &slug,
        photo_alt: "",
        categories: &loaded.categories,
        status,
        notice,
        problems: &problems,
        preview: preview.as_deref(),
        history: &loaded.history,
        session: &session,
        today,
        take_off: false,
    };
    Ok(page(StatusCode::OK, editor_pages::edit(&view)))
}

async fn create(State(editor): State<Arc<Editor>>, form: EditorForm) -> Result<Response, Refusal> {
    save(editor, None, form).await
}

async fn update(
    State(editor): State<Arc<Editor>>,
    Path(slug): Path<String>,
    form: EditorForm,
) -> Result<Response, Refusal> {
    if !is_address(&slug) || !folder_of(&editor)?.is_taken(&slug) {
        return Err(Refusal::NotFound);
    }
    save(editor, Some(slug), form).await
}

/// The build's checks with this article in place, and the photos it may show.
struct Checked {
    placed: Vec<(Field, String)>,
    photos: Photos,
}

async fn check(
    folder: ContentFolder,
    slug: String,
    form: ArticleForm,
    today: Date,
) -> Result<Checked, Refusal> {
    blocking(move || {
        let content = folder.root();
        let path = folder.shown_path(&slug);
        // Named within her content folder (`images/x.jpg: ...`), not by the server's path.
        let root = format!("{}/", content.display());
        let as_errors = |errors: Vec<String>| {
            errors
                .into_iter()
                .map(|e| ContentError::new("", None, e.replace(&root, "")))
                .collect::<Vec<_>>()
        };
        let (photos, mut errors) = match site_build::images::catalog(&content.join("images")) {
            Ok(photos) => (photos, Vec::new()),
            Err(e) => (Photos::default(), as_errors(e)),
        };
        match site_build::read_articles(content) {
            Ok(mut files) => {
                files.retain(|(p, _)| *p != path);
                files.push((path.clone(), form.to_file()));
                files.sort();
                if let Err(more) = site_build::check(content, &files, &photos, today) {
                    errors.extend(more);
                }
            }
            Err(more) => errors.extend(more),
        }
        Ok(Checked {
            placed: form.place(&path, &errors),
            photos,
        })
    })
    .await
}

/// Which button she pressed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Action {
    Draft,
    Preview,
    Publish,
}

async fn save(
    editor: Arc<Editor>,
    existing: Option<String>,
    form: EditorForm,
) -> Result<Response, Refusal> {
    let (folder, publisher) = editor.on()?;
    let action = match form.text("action").as_str() {
        "preview" => Action::Preview,
        "publish" => Action::Publish,
        _ => Action::Draft,
    };
    let mut article = article_of(&form);
    let mut problems = Problems::default();
    if let Some(message) = &form.too_long {
        problems.add(Field::Body, message.clone());
    }
    let slug = match &existing {
        Some(slug) => Some(slug.clone()),
        None => match address_for(&form.text("address"), &article.title) {
            Ok(slug) if folder.is_taken(&slug) => {
                problems.add(
                    Field::Address,
                    format!("Another article has the address /articles/{slug}: choose another."),
                );
                None
            }
            Ok(slug) => Some(slug),
            Err(message) => {
                problems.add(Field::Address, message);
                None
            }
        },
    };
    let photo_alt = form.text("photo_alt");
    if let Some(slug) = &slug {
        match add_photo(folder, publisher, slug, &form, &photo_alt).await {
            Ok(Ok(Some(markdown))) => article.body.push_str(&markdown),
            Ok(Ok(None)) => {}
            Ok(Err(PhotoProblem::Photo(message))) => problems.photo = Some(message),
            Ok(Err(PhotoProblem::Description(message))) => problems.photo_alt = Some(message),
            // The server could not keep it (a full disk): her text is still saved below.
            Err(refusal) => {
                tracing::error!(cause = ?refusal, "inbox: a photo could not be kept");
                problems.photo = Some(
                    "The photo could not be kept: the server could not write it. Your text is saved; try the photo again later."
                        .into(),
                );
            }
        }
    } else if form.photo.is_some() {
        problems.photo =
            Some("The photo was not kept: fix the address first, then choose it again.".into());
    }
    let today = site_build::london_today();
    let categories = {
        let folder = folder.clone();
        blocking(move || folder.categories()).await?
    };
    let Some(slug) = slug else {
        // Without an address there is no file to keep it in: the form comes back as sent.
        return Ok(render_form(&EditorView {
            slug: None,
            article: &article,
            address: &form.text("address"),
            photo_alt: &photo_alt,
            categories: &categories,
            problems: &problems,
            notice: None,
            session: &form.session,
            status: editor_pages::Status::New,
            history: &[],
            today,
            take_off: false,
        }));
    };
    let text = unchanged_or(folder, &slug, &article).await?;
    let saved = {
        let (folder, slug, text) = (folder.clone(), slug.clone(), text.clone());
        blocking(move || {
            folder.save_draft(&slug, &text)?;
            Ok((
                folder.live(&slug)?,
                folder.draft(&slug)?.map(|(_, at)| at),
                folder.history(&slug)?,
            ))
        })
        .await?
    };
    let (live, draft_saved, history) = saved;
    let checked = check(folder.clone(), slug.clone(), article.clone(), today).await?;
    for (field, message) in &checked.placed {
        problems.add(*field, message.clone());
    }
    let here = format!("/inbox/articles/{slug}");
    let status = editor_pages::Status::of(live.as_deref(), draft_saved, today);
    // A later date on an article that is on the site takes it off until then: only when she
    // says so, never as a side effect of a typo in the date.
    let take_off = form.text("take_off") == "yes";
    if action == Action::Publish
        && status.takes_off_until(&article.date, today).is_some()
        && !take_off
    {
        problems.add(
            Field::Date,
            "The article is on the site now: this later date takes it off until then. Tick \"Take it off the site until then\" to do that, or set the date back.".into(),
        );
    }
    let view = EditorView {
        slug: Some(&slug),
        article: &article,
        address: &slug,
        photo_alt: if problems.only_this_answer_knows() {
            &photo_alt
        } else {
            ""
        },
        categories: &categories,
        problems: &problems,
        notice: None,
        session: &form.session,
        status,
        history: &history,
        today,
        take_off,
    };
    match action {
        // A problem only this answer knows (a refused photo) is shown now; the others are
        // worked out again by the page it redirects to (post, then redirect: a reload sends
        // nothing twice).
        _ if problems.only_this_answer_knows() || form.too_long.is_some() => Ok(render_form(&view)),
        Action::Draft => Ok(Redirect::to(&format!("{here}?done=saved")).into_response()),
        Action::Preview => {
            Ok(Redirect::to(&format!("{here}?preview=1&done=saved#page_preview")).into_response())
        }
        Action::Publish if !problems.is_empty() => Ok(render_form(&EditorView {
            notice: Some(Notice::error(
                "Not published: fix what is marked below, then publish again. Your changes are saved as a draft.",
            )),
            ..view
        })),
        Action::Publish => match publish(folder, publisher, &slug, text).await? {
            Ok(()) => {
                tracing::info!(%here, "inbox: article published");
                Ok(Redirect::to(&format!("{here}?done=published")).into_response())
            }
            Err(message) => {
                let mut problems = problems.clone();
                problems.add(Field::Body, format!("The build refused it: {message}"));
                Ok(render_form(&EditorView {
                    problems: &problems,
                    notice: Some(Notice::error(
                        "Not published: the site is as it was. Your changes are saved as a draft.",
                    )),
                    ..view
                }))
            }
        },
    }
}

/// The file to save: the published file itself when the form says the same (a file written
/// by hand reads back the same although it is written differently), so opening an article
/// and saving it leaves no "changes not on the site".
async fn unchanged_or(
    folder: &ContentFolder,
    slug: &str,
    article: &ArticleForm,
) -> Result<String, Refusal> {
    let (folder, slug) = (folder.clone(), slug.to_owned());
    let live = blocking(move || folder.live(&slug)).await?;
    Ok(match live {
        Some(live) if ArticleForm::from_file(&live) == (article.clone(), None) => live,
        _ => article.to_file(),
    })
}

/// The form's fields as an article.
fn article_of(form: &EditorForm) -> ArticleForm {
    let new_category = form.text("new_category");
    ArticleForm {
        title: form.text("title"),
        summary: form.text("summary"),
        date: form.text("date"),
        updated: form.text("updated"),
        // A category typed in is the one she means; else the one chosen.
        category: if new_category.trim().is_empty() {
            form.text("category")
        } else {
            new_category
        },
        tags: form.text("tags"),
        body: form.text("body"),
    }
}

/// Puts `text` in place as the article's published file and publishes; when the build
/// refuses, puts the file back as it was (her text stays the draft) and says why.
async fn publish(
    folder: &ContentFolder,
    publisher: &Publisher,
    slug: &str,
    text: String,
) -> Result<Result<(), String>, Refusal> {
    let publishing = publisher.begin().await;
    let replaced = {
        let (folder, slug, text) = (folder.clone(), slug.to_owned(), text.clone());
        blocking(move || folder.replace_live(&slug, &text, now_seconds())).await?
    };
    match publishing.publish().await {
        Ok(_) => {
            let (folder, slug) = (folder.clone(), slug.to_owned());
            blocking(move || {
                folder.remove_draft_if(&slug, &text)?;
                folder.settled()
            })
            .await?;
            Ok(Ok(()))
        }
        Err(message) => {
            let folder = folder.clone();
            blocking(move || folder.put_back(replaced)).await?;
            Ok(Err(message))
        }
    }
}

/// The form as she sent it, with what is wrong: what every refusal answers.
struct EditorView<'a> {
    slug: Option<&'a str>,
    article: &'a ArticleForm,
    address: &'a str,
    photo_alt: &'a str,
    categories: &'a [String],
    problems: &'a Problems,
    notice: Option<Notice>,
    session: &'a SignedIn,
    status: editor_pages::Status,
    history: &'a [String],
    today: Date,
    /// Whether she ticked "Take it off the site until then".
    take_off: bool,
}

fn render_form(view: &EditorView<'_>) -> Response {
    let page_view = EditPage {
        slug: view.slug,
        form: view.article,
        address: view.address,
        photo_alt: view.photo_alt,
        categories: view.categories,
        status: view.status.clone(),
        notice: view.notice.clone(),
        problems: view.problems,
        preview: None,
        history: view.history,
        session: view.session,
        today: view.today,
        take_off: view.take_off,
    };
    page(
        StatusCode::UNPROCESSABLE_ENTITY,
        editor_pages::edit(&page_view),
    )
}

async fn version(
    State(editor): State<Arc<Editor>>,
    Session(session): Session,
    Path((slug, name)): Path<(String, String)>,
) -> Result<Response, Refusal> {
    if !is_address(&slug) {
        return Err(Refusal::NotFound);
    }
    let folder = folder_of(&editor)?;
    let (lookup, wanted) = (slug.clone(), name.clone());
    let text = blocking(move || folder.version(&lookup, &wanted))
        .await?
        .ok_or(Refusal::NotFound)?;
    Ok(page(
        StatusCode::OK,
        editor_pages::version(&slug, &name, &text, &session),
    ))
}

/// Puts a kept version in the editor as her draft: nothing changes on the site until she
/// publishes it.
async fn restore(
    State(editor): State<Arc<Editor>>,
    Path((slug, name)): Path<(String, String)>,
    _form: EditorForm,
) -> Result<Response, Refusal> {
    if !is_address(&slug) {
        return Err(Refusal::NotFound);
    }
    let folder = folder_of(&editor)?;
    let (lookup, wanted) = (slug.clone(), name.clone());
    let restored = blocking(move || {
        let Some(text) = folder.version(&lookup, &wanted)? else {
            return Ok(None);
        };
        if folder
            .draft(&lookup)?
            .is_some_and(|(draft, _)| draft != text)
        {
            folder.keep_draft(&lookup, now_seconds())?;
        }
        folder.save_draft(&lookup, &text)?;
        Ok(Some(
            folder.live(&lookup)?.as_deref() == Some(text.as_str()),
        ))
    })
    .await?;
    let done = match restored {
        None => return Err(Refusal::NotFound),
        Some(true) => "same",
        Some(false) => "restored",
    };
    Ok(Redirect::to(&format!("/inbox/articles/{slug}?done={done}")).into_response())
}

/// Asks before a draft goes: one tap on a phone must not lose her work.
async fn confirm_discard(
    State(editor): State<Arc<Editor>>,
    Session(session): Session,
    Path(slug): Path<String>,
) -> Result<Response, Refusal> {
    if !is_address(&slug) {
        return Err(Refusal::NotFound);
    }
    let folder = folder_of(&editor)?;
    let lookup = slug.clone();
    let (draft, live) =
        blocking(move || Ok((folder.draft(&lookup)?, folder.live(&lookup)?))).await?;
    let Some((text, _)) = draft else {
        return Ok(Redirect::to(&format!("/inbox/articles/{slug}")).into_response());
    };
    let (form, _) = ArticleForm::from_file(&text);
    Ok(page(
        StatusCode::OK,
        editor_pages::confirm_discard(&slug, &form.title, live.is_some(), &session),
    ))
}

/// Deletes her draft: kept in the article's history first (`-draft`), so even this can be
/// undone from the content folder. The site is not touched.
async fn discard(
    State(editor): State<Arc<Editor>>,
    Path(slug): Path<String>,
    _form: EditorForm,
) -> Result<Response, Refusal> {
    if !is_address(&slug) {
        return Err(Refusal::NotFound);
    }
    let folder = folder_of(&editor)?;
    let lookup = slug.clone();
    let published = blocking(move || {
        folder.keep_draft(&lookup, now_seconds())?;
        folder.remove_draft(&lookup)?;
        Ok(folder.live(&lookup)?.is_some())
    })
    .await?;
    tracing::info!(article = %slug, "inbox: draft deleted");
    Ok(Redirect::to(&if published {
        format!("/inbox/articles/{slug}?done=discarded")
    } else {
        "/inbox/articles?done=discarded".to_owned()
    })
    .into_response())
}
