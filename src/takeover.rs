//! Starting the app in the browser. Every route people land on is prerendered at build time
//! (`src/bin/prerender.rs`), so the visitor reads the page before any WebAssembly has run;
//! `public/start.js` decides when the app is fetched (after the first paint, or when the
//! visitor reaches for a control). The app then takes that page over: it renders the same route into a detached element,
//! with the data the page shows already at hand, and swaps it in within one task. Nothing
//! paints in between, the markup is the same, so there is no flash and no layout shift.

use crate::library_client::{fetch_article, fetch_library, remember_article, remember_library};
use leptos::prelude::*;
use massage_core::pages::PageApp;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

/// The id of the element the app renders into, in prerendered pages and in the bare shell.
pub const ROOT_ID: &str = "app";

/// Head elements that every page renders for itself (see `PageMeta`); the prerendered ones
/// go when the app takes over, or each route change would leave the first page's behind.
const PAGE_HEAD: &str = "meta[name=description], meta[property^='og:'], link[rel=canonical], \
                         script[type='application/ld+json']";

/// Starts `app`, the view of the app `which`, on this page. With `LIBRARY`, the article
/// library (and the article on an article's page) is fetched before the app renders, so it
/// renders complete; the booking page's app has no library, and leaves that code out of its
/// wasm.
pub fn start<const LIBRARY: bool, V: IntoView + 'static>(app: fn() -> V, which: PageApp) {
    normalise_trailing_slash();
    if which != PageApp::Site {
        leave_other_pages_to_the_browser(which);
    }
    let document = document();
    match document.get_element_by_id(ROOT_ID) {
        // Not leptos::task::spawn_local: its executor starts with the first mount.
        Some(prerendered) => {
            wasm_bindgen_futures::spawn_local(take_over_when_ready::<LIBRARY, V>(prerendered, app))
        }
        // The bare shell (an address that is the app's but not prerendered, such as a
        // self-check step): nothing to take over.
        None => {
            let root = document.create_element("div").expect("create a div");
            root.set_id(ROOT_ID);
            if let Some(body) = document.body() {
                let _ = body.append_child(&root);
            }
            leptos::mount::mount_to(root.unchecked_into(), app).forget();
            mark_running();
        }
    }
}

/// A page app's router knows only its own pages. A click on a link to any other page of the
/// site is kept from the router (which listens on `window`, after this listener on the
/// document), so the browser loads that page as it loads any link: prerendered, with the app
/// made for it, and with an ordinary history entry.
fn leave_other_pages_to_the_browser(this: PageApp) {
    let on_click = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::Event)>::new(
        move |event: web_sys::Event| {
            let link = event
                .target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                .and_then(|e| e.closest("a[href]").ok().flatten())
                .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok());
            let here = window().location().origin().ok();
            if let Some(link) = link
                && here.as_deref() == Some(link.origin().as_str())
                && PageApp::for_page(&link.pathname()) != this
            {
                event.stop_propagation();
            }
        },
    );
    let _ = document().add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
    on_click.forget();
}

/// `<html data-app>`: the app runs the page (tests wait for this; CSS could use it).
fn mark_running() {
    if let Some(html) = document().document_element() {
        let _ = html.set_attribute("data-app", "");
    }
}

/// Hosts serve `/articles/slug/` and `/articles/slug` alike; the app's routes and canonical
/// addresses have no trailing slash.
fn normalise_trailing_slash() {
    let location = window().location();
    let Ok(path) = location.pathname() else {
        return;
    };
    if path.len() > 1 && path.ends_with('/') {
        let search = location.search().unwrap_or_default();
        let hash = location.hash().unwrap_or_default();
        let tidy = format!("{}{search}{hash}", path.trim_end_matches('/'));
        if let Ok(history) = window().history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&tidy));
        }
    }
}

async fn take_over_when_ready<const LIBRARY: bool, V: IntoView + 'static>(
    prerendered: Element,
    app: fn() -> V,
) {
    let path = window().location().pathname().unwrap_or_default();
    if LIBRARY && preload(&path).await.is_err() {
        // Offline, or the server failed: the prerendered page stays, and it works as a plain
        // web page (its links load pages). Try again once the phone is back online.
        let retry = wasm_bindgen::closure::Closure::once_into_js(move || {
            wasm_bindgen_futures::spawn_local(take_over_when_ready::<LIBRARY, V>(prerendered, app));
        });
        let options = web_sys::AddEventListenerOptions::new();
        options.set_once(true);
        let _ = window().add_event_listener_with_callback_and_add_event_listener_options(
            "online",
            retry.unchecked_ref(),
            &options,
        );
        return;
    }
    // Starting the WebAssembly and rendering the page are each a long task on a slow phone;
    // one after the other they kept the page from answering a tap for a fifth of a second
    // (Lighthouse's total blocking time on a self-check step). Rendering waits for the next
    // task, so a tap in between is answered.
    crate::dom::sleep(0.0).await;
    swap_in_app(&prerendered, app);
}

/// Loads what the route's first render shows, so that it renders complete. Only the article
/// pages, the library and the not-found page show the library.
async fn preload(path: &str) -> Result<(), crate::library_client::LoadError> {
    if massage_core::pages::WITHOUT_LIBRARY.contains(&path) {
        return Ok(());
    }
    let index = fetch_library().await?;
    if let Some(slug) = path.strip_prefix("/articles/")
        && index.article(slug).is_some()
    {
        remember_article(slug, fetch_article(slug).await?);
    }
    remember_library(index);
    Ok(())
}

fn swap_in_app<V: IntoView + 'static>(prerendered: &Element, app: fn() -> V) {
    let document = document();
    if let Some(head) = document.head()
        && let Ok(stale) = head.query_selector_all(PAGE_HEAD)
    {
        for i in 0..stale.length() {
            if let Some(node) = stale.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                node.remove();
            }
        }
    }
    let fresh = document.create_element("div").expect("create a div");
    fresh.set_id(ROOT_ID);
    leptos::mount::mount_to(fresh.clone().unchecked_into(), app).forget();
    // The router fills in the route's content a moment later (in a microtask), so swap just
    // before the next paint: by then the app's page is complete, and the old one was shown
    // until that very frame.
    let prerendered = prerendered.clone();
    request_animation_frame(move || swap(&prerendered, &fresh));
}

fn swap(prerendered: &Element, fresh: &Element) {
    let document = document();
    let focused = focused_position(prerendered);
    let (x, y) = (window().scroll_x(), window().scroll_y());
    let _ = prerendered.replace_with_with_node_1(fresh);
    if let (Ok(x), Ok(y)) = (x, y) {
        window().scroll_to_with_x_and_y(x, y);
    }
    // After the swap, so the app's handlers see the events as they would a visitor's.
    carry_over_input(prerendered, fresh);
    mark_running();
    let target = match focused {
        Some(Focused::Id(id)) => document.get_element_by_id(&id),
        Some(Focused::Position(i)) => elements(fresh).get(i).cloned(),
        None => None,
    };
    if let Some(element) = target.as_ref().and_then(|e| e.dyn_ref::<HtmlElement>()) {
        let _ = element.focus();
    }
}

fn elements(root: &Element) -> Vec<Element> {
    let Ok(all) = root.query_selector_all("*") else {
        return Vec::new();
    };
    (0..all.length())
        .filter_map(|i| all.item(i).and_then(|n| n.dyn_into::<Element>().ok()))
        .collect()
}

enum Focused {
    Id(String),
    Position(usize),
}

/// Where focus is inside the prerendered page (a keyboard user may be tabbing already): its
/// id, or its position in document order, which is the same element in the same markup.
fn focused_position(root: &Element) -> Option<Focused> {
    let active = document().active_element()?;
    if !root.contains(Some(&active)) {
        return None;
    }
    if !active.id().is_empty() {
        return Some(Focused::Id(active.id()));
    }
    elements(root)
        .iter()
        .position(|e| *e == active)
        .map(Focused::Position)
}

/// What the visitor did to the page before the app arrived is kept: text typed, choices
/// made, disclosures opened. Fields are matched by id (every form field has one), the rest
/// by position; events let the app's own state follow.
fn carry_over_input(from: &Element, to: &Element) {
    let (old, new) = (elements(from), elements(to));
    let same_shape = old.len() == new.len();
    let mut submitted = None;
    for (i, old) in old.iter().enumerate() {
        let id = old.id();
        let new = if !id.is_empty() {
            to.query_selector(&format!("[id=\"{id}\"]")).ok().flatten()
        } else if same_shape {
            new.get(i).cloned()
        } else {
            None
        };
        if let Some(new) = new {
            carry_over(old, &new);
            // A search submitted while the app was on its way (`public/start.js` held it
            // back): run it now, with the fields carried over.
            if old.get_attribute("data-replay").as_deref() == Some("submit") {
                submitted = new.dyn_into::<web_sys::HtmlFormElement>().ok();
            }
        }
    }
    if let Some(form) = submitted {
        // After the fields' events (timers run in order), so the app searches what was typed.
        set_timeout(
            move || {
                let _ = form.request_submit();
            },
            std::time::Duration::ZERO,
        );
    }
}

/// Carries over only what the visitor changed (the value differs from the markup's), so
/// state the app restores itself (a saved draft, a search in the address) is not
/// overwritten by the prerendered page's blanks.
fn carry_over(old: &Element, new: &Element) {
    if let (Some(old), Some(new)) = (
        old.dyn_ref::<web_sys::HtmlInputElement>(),
        new.dyn_ref::<web_sys::HtmlInputElement>(),
    ) {
        if matches!(old.type_().as_str(), "checkbox" | "radio") {
            if old.checked() != old.default_checked() {
                new.set_checked(old.checked());
                dispatch(new, "change");
            }
        } else if old.value() != old.default_value() {
            new.set_value(&old.value());
            dispatch(new, "input");
        }
    } else if let (Some(old), Some(new)) = (
        old.dyn_ref::<web_sys::HtmlTextAreaElement>(),
        new.dyn_ref::<web_sys::HtmlTextAreaElement>(),
    ) {
        if old.default_value().ok() != Some(old.value()) {
            new.set_value(&old.value());
            dispatch(new, "input");
        }
    } else if let (Some(old), Some(new)) = (
        old.dyn_ref::<web_sys::HtmlSelectElement>(),
        new.dyn_ref::<web_sys::HtmlSelectElement>(),
    ) {
        // The markup's choice is the first option marked `selected`, else the first option.
        let options = old.options();
        let default = (0..options.length())
            .find(|&i| {
                options
                    .item(i)
                    .and_then(|o| o.dyn_into::<web_sys::HtmlOptionElement>().ok())
                    .is_some_and(|o| o.default_selected())
            })
            .unwrap_or(0);
        if old.selected_index() != default as i32 {
            new.set_value(&old.value());
            dispatch(new, "change");
        }
    } else if let (Some(old), Some(new)) = (
        old.dyn_ref::<web_sys::HtmlDetailsElement>(),
        new.dyn_ref::<web_sys::HtmlDetailsElement>(),
    ) && old.open()
        && !new.open()
    {
        // Prerendered disclosures are closed: an open one was opened by the visitor (or for
        // the address's #fragment, by start.js).
        new.set_open(true);
    }
}

/// Tells the app's handlers about a value carried over. The value itself is in place before
/// the swap paints; the event waits for the next task, when the app has finished starting
/// (its router ignores a navigation asked for while it is still being set up).
fn dispatch(target: &web_sys::EventTarget, kind: &'static str) {
    let target = target.clone();
    set_timeout(
        move || {
            let init = web_sys::EventInit::new();
            init.set_bubbles(true);
            if let Ok(event) = web_sys::Event::new_with_event_init_dict(kind, &init) {
                let _ = target.dispatch_event(&event);
            }
        },
        std::time::Duration::ZERO,
    );
}
