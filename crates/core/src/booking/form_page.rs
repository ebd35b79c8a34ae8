//! The receiver's answers to a plain form post (JavaScript off, or sent before the app ran),
//! made from the prerendered booking page so they look like the site: the form again with
//! what was typed and a message next to each field it refused, or the confirmation with the
//! reference. Native only (feature `html`): the page is rewritten with `lol_html`, and every
//! value and message goes in as text, never as markup.

use super::FieldError;
use super::form::date_input_id;
use super::plain_form::{DATE, Pairs, TIME};
use crate::site_html::{START_SCRIPT, escape_text};
use lol_html::html_content::ContentType;
use lol_html::{RewriteStrSettings, element, rewrite_str};
use std::cell::Cell;

/// The id of the element an error on `field` is shown next to (the plain form's first row of
/// times stands for every time, as the plain form has one row).
fn element_for(field: &str) -> String {
    match field {
        "location" => "location-in_call".into(),
        f if f.starts_with("preferred_times") => date_input_id(0),
        f => f.to_owned(),
    }
}

/// The app must not take these pages over: their address is the endpoint's, not a route.
fn without_app(el: &mut lol_html::html_content::Element<'_, '_>) -> lol_html::HandlerResult {
    el.remove();
    Ok(())
}

/// The booking page again, as it was posted, with `errors` next to their fields and listed
/// above the form.
pub fn form_again(
    book_page: &str,
    posted: &Pairs,
    errors: &[FieldError],
) -> Result<String, String> {
    let value = |name: &str, nth: usize| {
        posted
            .iter()
            .filter(|(n, _)| n == name)
            .nth(nth)
            .map(|(_, v)| v.clone())
    };
    let message = |id: &str| {
        errors
            .iter()
            .find(|e| element_for(&e.field) == id)
            .map(|e| e.message.clone())
    };
    let (dates, times) = (Cell::new(0), Cell::new(0));
    let summary = errors
        .iter()
        .map(|e| {
            format!(
                "<li><a href=\"#{}\">{}</a></li>",
                escape_text(&element_for(&e.field)),
                escape_text(&e.message)
            )
        })
        .collect::<String>();
    rewrite_str(
        book_page,
        RewriteStrSettings {
            element_content_handlers: vec![
                element!(START_SCRIPT, without_app),
                element!("form.booking-form", |el| {
                    el.prepend(
                        &format!(
                            "<div class=\"error-summary\" role=\"alert\" aria-labelledby=\"error-summary-title\">\
                             <h2 id=\"error-summary-title\">Please check the form</h2><ul>{summary}</ul></div>"
                        ),
                        ContentType::Html,
                    );
                    Ok(())
                }),
                element!("input[name]:not([type=radio]):not([type=checkbox])", |el| {
                    let name = el.get_attribute("name").unwrap_or_default();
                    let nth = if name == DATE { dates.replace(dates.get() + 1) } else { 0 };
                    el.set_attribute("value", &value(&name, nth).unwrap_or_default())?;
                    mark(el, &message);
                    Ok(())
                }),
                element!("input[type=radio][name]", |el| {
                    let name = el.get_attribute("name").unwrap_or_default();
                    let chosen = value(&name, 0) == el.get_attribute("value");
                    if chosen {
                        el.set_attribute("checked", "")?;
                    } else {
                        el.remove_attribute("checked");
                    }
                    Ok(())
                }),
                element!("textarea[name]", |el| {
                    let name = el.get_attribute("name").unwrap_or_default();
                    el.set_inner_content(&value(&name, 0).unwrap_or_default(), ContentType::Text);
                    mark(el, &message);
                    Ok(())
                }),
                element!("select[name]", |el| {
                    let name = el.get_attribute("name").unwrap_or_default();
                    let nth = if name == TIME { times.replace(times.get() + 1) } else { 0 };
                    // The options are rewritten by the handler below, which needs the value.
                    el.set_attribute("data-posted", &value(&name, nth).unwrap_or_default())?;
                    mark(el, &message);
                    Ok(())
                }),
                element!("label[for]", |el| {
                    let id = el.get_attribute("for").unwrap_or_default();
                    if let Some(text) = message(&id) {
                        el.after(
                            &format!(
                                "<p class=\"field-error\" id=\"{}-error\"><span class=\"visually-hidden\">Error: </span>{}</p>",
                                escape_text(&id),
                                escape_text(&text)
                            ),
                            ContentType::Html,
                        );
                    }
                    Ok(())
                }),
            ],
            ..RewriteStrSettings::default()
        },
    )
    .map(|page| select_posted_options(&page))
    .map_err(|e| format!("book/index.html: {e}"))?
}

/// Marks a field with a message as invalid and points it at the message.
fn mark(
    el: &mut lol_html::html_content::Element<'_, '_>,
    message: &dyn Fn(&str) -> Option<String>,
) {
    let id = el.get_attribute("id").unwrap_or_default();
    if message(&id).is_some() {
        let _ = el.set_attribute("aria-invalid", "true");
        let _ = el.set_attribute("aria-describedby", &format!("{id}-error"));
    }
}

/// Selects, in each select marked with the posted value, the option with that value.
fn select_posted_options(page: &str) -> Result<String, String> {
    let posted = std::rc::Rc::new(std::cell::RefCell::new(None::<String>));
    let (on_select, on_option) = (posted.clone(), posted);
    rewrite_str(
        page,
        RewriteStrSettings {
            element_content_handlers: vec![
                element!("select[data-posted]", move |el| {
                    *on_select.borrow_mut() = el.get_attribute("data-posted");
                    el.remove_attribute("data-posted");
                    Ok(())
                }),
                element!("option", move |el| {
                    let chosen = on_option.borrow().is_some()
                        && *on_option.borrow() == el.get_attribute("value");
                    if chosen {
                        el.set_attribute("selected", "")?;
                    } else {
                        el.remove_attribute("selected");
                    }
                    Ok(())
                }),
            ],
            ..RewriteStrSettings::default()
        },
    )
    .map_err(|e| format!("book/index.html: {e}"))
}

/// The booking page with its content replaced by the confirmation for `reference`.
pub fn sent_page(book_page: &str, reference: &str, therapist: &str) -> Result<String, String> {
    let confirmation = format!(
        "<h1>Your request has been sent</h1>\
         <section class=\"notice notice--success\" aria-labelledby=\"next\">\
         <p>Your reference is <strong class=\"reference\">{reference}</strong>.</p>\
         <h2 id=\"next\">What happens next</h2><ol>\
         <li>{therapist} reads your request and replies by e-mail or phone, usually the same day, to confirm a time.</li>\
         <li>Nothing is booked until she confirms. If none of your times is free, she suggests others.</li>\
         <li>To change or cancel, reply to her message or call, quoting your reference.</li></ol>\
         <p><a href=\"/book\">Make another request</a></p></section>",
        reference = escape_text(reference),
        therapist = escape_text(therapist),
    );
    rewrite_str(
        book_page,
        RewriteStrSettings {
            element_content_handlers: vec![
                element!(START_SCRIPT, without_app),
                element!("title", |el| {
                    el.set_inner_content("Request sent", ContentType::Text);
                    Ok(())
                }),
                element!("main", |el| {
                    el.set_inner_content(&confirmation, ContentType::Html);
                    Ok(())
                }),
            ],
            ..RewriteStrSettings::default()
        },
    )
    .map_err(|e| format!("book/index.html: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<html><head><title>Book</title><script type="module" data-app-js="/app.js">run()</script></head>
<body><main><h1>Request a booking</h1><form class="booking-form" method="post">
<label for="service_id">Treatment</label><select id="service_id" name="service_id"><option value="swedish" selected>Swedish</option><option value="deep-tissue">Deep</option></select>
<label for="location-in_call">In-call</label><input type="radio" name="location" id="location-in_call" value="in_call" checked>
<label for="location-outcall">Outcall</label><input type="radio" name="location" id="location-outcall" value="outcall">
<label for="postcode">Postcode</label><input id="postcode" name="postcode" type="text">
<label for="time-date-0">Date</label><input type="date" id="time-date-0" name="date">
<label for="time-time-0">Start</label><select id="time-time-0" name="time"><option value="">Choose</option><option value="18:00">18:00</option></select>
<label for="notes">Notes</label><textarea id="notes" name="notes"></textarea>
</form></main></body></html>"#;

    fn posted(pairs: &[(&str, &str)]) -> Pairs {
        pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_form_comes_back_as_posted_with_the_message_next_to_its_field() {
        let page = form_again(
            PAGE,
            &posted(&[
                ("service_id", "deep-tissue"),
                ("location", "outcall"),
                ("postcode", "NOT A CODE"),
                ("date", "2026-12-01"),
                ("time", "18:00"),
                ("notes", "</textarea><script>alert(1)</script>"),
            ]),
            &[FieldError::new(
                "postcode",
                "invalid",
                "Enter a London postcode, like E8 1AA.",
            )],
        )
        .unwrap();
        assert!(
            !page.contains("data-app-js"),
            "the app must not take this page over"
        );
        assert!(
            page.contains(r#"<option value="deep-tissue" selected="">"#),
            "{page}"
        );
        assert!(page.contains(r#"<option value="swedish">"#));
        assert!(page.contains(r#"value="outcall" checked="""#));
        assert!(!page.contains(r#"value="in_call" checked"#));
        assert!(page.contains(r#"value="NOT A CODE""#));
        assert!(page.contains(r#"value="2026-12-01""#));
        assert!(page.contains(r#"<option value="18:00" selected="">"#));
        // Typed text stays text.
        assert!(page.contains("&lt;/textarea&gt;&lt;script&gt;"));
        assert!(!page.contains("<script>alert"));
        let label = page.find(r#"<label for="postcode">"#).unwrap();
        let message = label + page[label..].find("Enter a London postcode").unwrap();
        let input = page.find(r#"id="postcode" name="postcode""#).unwrap();
        assert!(
            message < input,
            "the message comes between the label and the field: {page}"
        );
        assert!(page.contains(r#"aria-invalid="true" aria-describedby="postcode-error""#));
        assert!(page.contains(r##"<a href="#postcode">Enter a London postcode"##));
    }

    #[test]
    fn a_time_error_sits_by_the_first_date() {
        let page = form_again(
            PAGE,
            &posted(&[("date", ""), ("time", "")]),
            &[FieldError::new(
                "preferred_times",
                "required",
                "Choose at least one time.",
            )],
        )
        .unwrap();
        let label = page.find(r#"<label for="time-date-0">"#).unwrap();
        assert!(page[label..].contains("Choose at least one time."));
    }

    #[test]
    fn the_confirmation_shows_the_reference_as_text() {
        let page = sent_page(PAGE, "AM-7K3Q-9XPD", "Anastasia").unwrap();
        assert!(page.contains("<strong class=\"reference\">AM-7K3Q-9XPD</strong>"));
        assert!(!page.contains("<form"));
        assert!(!page.contains("data-app-js"));
        assert!(page.contains("<title>Request sent</title>"));
        let hostile = sent_page(PAGE, "<img src=x onerror=alert(1)>", "A").unwrap();
        assert!(!hostile.contains("<img"));
    }
}
