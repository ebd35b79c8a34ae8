//! schema.org JSON-LD for the practice (HealthAndBeautyBusiness) and for articles (Article,
//! FAQPage, BreadcrumbList), so search engines understand the page.
//! Built as JSON text here, in one place, and safe to place inside a <script> element.

use super::ArticleMeta;
use super::markdown::FaqEntry;
use serde::Serialize;

#[derive(Serialize)]
struct ArticleLd<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    headline: &'a str,
    description: &'a str,
    #[serde(rename = "datePublished")]
    date_published: &'a str,
    #[serde(rename = "dateModified")]
    date_modified: &'a str,
    url: String,
    /// The first photo, an absolute address (search engines show it beside the result).
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<ImageLd<'a>>,
    #[serde(rename = "articleSection")]
    section: &'a str,
    keywords: String,
    author: Party<'a>,
    publisher: Party<'a>,
}

#[derive(Serialize)]
struct ImageLd<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    url: String,
    width: u32,
    height: u32,
    caption: &'a str,
}

#[derive(Serialize)]
struct Party<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

#[derive(Serialize)]
struct FaqLd<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "mainEntity")]
    main_entity: Vec<Question<'a>>,
}

#[derive(Serialize)]
struct Question<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(rename = "acceptedAnswer")]
    accepted_answer: Answer<'a>,
}

#[derive(Serialize)]
struct Answer<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    text: &'a str,
}

/// Article JSON-LD for `meta`, published on the site at `site_url` by the practice
/// `publisher`, written by `author`.
pub fn article(meta: &ArticleMeta, site_url: &str, author: &str, publisher: &str) -> String {
    script_safe(&ArticleLd {
        context: "https://schema.org",
        kind: "Article",
        headline: &meta.title,
        description: &meta.summary,
        date_published: &meta.date,
        date_modified: meta.updated.as_deref().unwrap_or(&meta.date),
        url: format!("{site_url}/articles/{}", meta.slug),
        image: meta.photo.as_ref().map(|photo| ImageLd {
            kind: "ImageObject",
            url: format!("{site_url}{}", photo.src),
            width: photo.width,
            height: photo.height,
            caption: &photo.alt,
        }),
        section: &meta.category,
        keywords: meta.tags.join(", "),
        author: Party {
            kind: "Person",
            name: author,
        },
        publisher: Party {
            kind: "Organization",
            name: publisher,
        },
    })
}

/// FAQPage JSON-LD, or `None` when the article has no questions.
pub fn faq_page(faq: &[FaqEntry]) -> Option<String> {
    if faq.is_empty() {
        return None;
    }
    let main_entity = faq
        .iter()
        .map(|f| Question {
            kind: "Question",
            name: &f.question,
            accepted_answer: Answer {
                kind: "Answer",
                text: &f.answer,
            },
        })
        .collect();
    Some(script_safe(&FaqLd {
        context: "https://schema.org",
        kind: "FAQPage",
        main_entity,
    }))
}

/// HealthAndBeautyBusiness JSON-LD for the practice: who, where (in-call area and the
/// London areas covered for outcall), when (every day), how to reach it. The full in-call
/// address is only sent with a confirmation, so only the locality is given.
pub fn practice(practice: &crate::services::Practice) -> String {
    let days = crate::calendar::WEEKDAYS;
    let area_served: Vec<serde_json::Value> = practice
        .outcall_postcode_areas
        .iter()
        .map(|area| serde_json::json!({ "@type": "Place", "name": format!("London {area}") }))
        .collect();
    script_safe(&serde_json::json!({
        "@context": "https://schema.org",
        "@type": "HealthAndBeautyBusiness",
        "name": practice.name,
        "description": practice.tagline,
        "url": practice.site_url,
        "telephone": practice.phone,
        "email": practice.email,
        "address": {
            "@type": "PostalAddress",
            "addressLocality": "London",
            "addressCountry": "GB",
        },
        "areaServed": area_served,
        "openingHoursSpecification": [{
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": days,
            "opens": practice.opens.to_string(),
            "closes": practice.closes.to_string(),
        }],
        "founder": { "@type": "Person", "name": practice.therapist },
    }))
}

/// JSON that cannot end its <script> element early: `<` is written as `\u003c`, which JSON
/// parsers read back as the same character.
/// BreadcrumbList JSON-LD for an article: the site, the library, the article's category in
/// the library, the article; what search results show as the page's path.
pub fn breadcrumbs(meta: &ArticleMeta, site_url: &str, site_name: &str) -> String {
    let category = super::library_href("", Some(&meta.category), None);
    let trail = [
        (site_name, format!("{site_url}/")),
        ("Articles", format!("{site_url}/articles")),
        (meta.category.as_str(), format!("{site_url}{category}")),
        (
            meta.title.as_str(),
            format!("{site_url}/articles/{}", meta.slug),
        ),
    ];
    let items: Vec<serde_json::Value> = trail
        .iter()
        .enumerate()
        .map(|(i, (name, item))| {
            serde_json::json!({
                "@type": "ListItem",
                "position": i + 1,
                "name": name,
                "item": item,
            })
        })
        .collect();
    script_safe(&serde_json::json!({
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": items,
    }))
}

fn script_safe(value: &impl Serialize) -> String {
    serde_json::to_string(value)
        .expect("JSON-LD serialises")
        .replace('<', "\\u003c")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn breadcrumbs_lead_from_the_site_through_the_category_to_the_article() {
        let ld = breadcrumbs(&meta(), "https://example.org", "Anastasia Massage");
        assert!(!ld.contains("</script>"), "{ld}");
        let value: serde_json::Value = serde_json::from_str(&ld).unwrap();
        let items = value["itemListElement"].as_array().unwrap();
        let names: Vec<&str> = items.iter().map(|i| i["name"].as_str().unwrap()).collect();
        assert_eq!(names[..2], ["Anastasia Massage", "Articles"]);
        assert_eq!(names[3], meta().title);
        assert_eq!(items[3]["item"], "https://example.org/articles/back-pain");
        assert_eq!(items[3]["position"], 4);
        assert!(
            items[2]["item"]
                .as_str()
                .unwrap()
                .starts_with("https://example.org/articles?")
        );
    }

    fn meta() -> ArticleMeta {
        ArticleMeta {
            slug: "back-pain".into(),
            title: "Back pain </script><script>alert(1)</script>".into(),
            summary: "Summary".into(),
            date: "2025-10-22".into(),
            updated: Some("2026-11-20".into()),
            category: "Back pain".into(),
            tags: vec!["back pain".into(), "sciatica".into()],
            reading_minutes: 5,
            sections: Vec::new(),
            photo: None,
        }
    }

    #[cfg(feature = "content")]
    #[test]
    fn practice_json_ld_has_hours_every_day_and_the_outcall_areas() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../content/services.toml"
        ))
        .unwrap();
        let catalog = crate::services::Catalog::from_toml("services.toml", &text).unwrap();
        let json: serde_json::Value = serde_json::from_str(&practice(&catalog.practice)).unwrap();
        assert_eq!(json["@type"], "HealthAndBeautyBusiness");
        let hours = &json["openingHoursSpecification"][0];
        assert_eq!(hours["opens"], "11:00");
        assert_eq!(hours["closes"], "22:00");
        assert_eq!(hours["dayOfWeek"].as_array().unwrap().len(), 7);
        assert_eq!(
            json["areaServed"].as_array().unwrap().len(),
            catalog.practice.outcall_postcode_areas.len()
        );
        assert_eq!(json["telephone"], catalog.practice.phone.as_str());
    }

    #[test]
    fn article_json_ld_has_the_schema_org_fields() {
        let json = article(
            &meta(),
            "https://example.com",
            "Anastasia",
            "Anastasia Massage",
        );
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["@type"], "Article");
        assert_eq!(v["url"], "https://example.com/articles/back-pain");
        assert_eq!(v.get("image"), None, "no photo, no image");
        assert_eq!(v["datePublished"], "2025-10-22");
        assert_eq!(v["dateModified"], "2026-11-20");
        assert_eq!(v["keywords"], "back pain, sciatica");
        assert_eq!(v["author"]["name"], "Anastasia");
        assert_eq!(
            v["headline"],
            "Back pain </script><script>alert(1)</script>"
        );
        assert!(!json.contains("</script"), "{json}");
    }

    #[test]
    fn an_article_with_a_photo_names_it_with_an_absolute_address() {
        let with_photo = ArticleMeta {
            photo: Some(crate::articles::photos::LeadPhoto {
                src: "/images/table-0123456789ab-1200.jpg".into(),
                width: 1200,
                height: 800,
                alt: "A table </script>".into(),
            }),
            ..meta()
        };
        let json = article(&with_photo, "https://example.com", "A", "B");
        assert!(!json.contains("</script"), "{json}");
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            v["image"],
            serde_json::json!({
                "@type": "ImageObject",
                "url": "https://example.com/images/table-0123456789ab-1200.jpg",
                "width": 1200,
                "height": 800,
                "caption": "A table </script>",
            })
        );
    }

    #[test]
    fn faq_page_lists_questions_and_answers() {
        assert_eq!(faq_page(&[]), None);
        let faq = [FaqEntry {
            id: "q".into(),
            question: "Can it help?".into(),
            answer: "Often.".into(),
        }];
        let v: serde_json::Value = serde_json::from_str(&faq_page(&faq).unwrap()).unwrap();
        assert_eq!(v["@type"], "FAQPage");
        assert_eq!(v["mainEntity"][0]["@type"], "Question");
        assert_eq!(v["mainEntity"][0]["name"], "Can it help?");
        assert_eq!(v["mainEntity"][0]["acceptedAnswer"]["text"], "Often.");
    }
}
