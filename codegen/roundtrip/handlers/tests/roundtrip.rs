//! Round trips through the whole generated stack, one test per construct of
//! `../constructs.yaml`: the typed client (or, where progenitor cannot send
//! the construct, a raw request) → the API Gateway emulator (routes, the
//! document's validators, binary media types, the Lambda proxy event) → the
//! generated adapter (typed, validated request) → the echo handlers → the
//! typed response → back. Each construct's test also sends what the spec
//! forbids and expects the adapter's 400 naming the field.

use apigateway_rest_emulator::{
    bind, ApiDocument, Backend, LocalApi, ServerConfig, TemplateValues,
};
use constructs_handlers::Constructs;
use serde_json::{json, Value};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

const DOCUMENT: &str = include_str!("../../generated/apigateway.json");

struct Echo(Constructs);

impl Backend for Echo {
    fn invoke(
        &self,
        operation_id: &str,
        request: lambda_http::Request,
    ) -> Pin<Box<dyn Future<Output = lambda_http::Response<lambda_http::Body>> + Send + '_>> {
        let operation_id = operation_id.to_owned();
        Box::pin(async move {
            constructs_server::dispatch(&self.0, &operation_id, request)
                .await
                .unwrap_or_else(|| lambda_http::Response::new(lambda_http::Body::Empty))
        })
    }
}

/// The emulator serving the fixture on a free port; its base URL.
async fn serve() -> String {
    let listener = bind("127.0.0.1:0".parse().unwrap()).await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let document = ApiDocument::from_template(DOCUMENT, &TemplateValues::default()).unwrap();
    let api = LocalApi::new(
        document,
        Arc::new(Echo(Constructs::default())),
        ServerConfig::default(),
    )
    .unwrap();
    tokio::spawn(async move {
        let _ = Arc::new(api).serve(listener, std::future::pending()).await;
    });
    format!("http://127.0.0.1:{port}")
}

fn client(base: &str) -> constructs_client::Client {
    constructs_client::Client::anonymous(base)
}

/// `GET`s `path` and returns status and JSON body.
async fn get(base: &str, path: &str, headers: &[(&str, &str)]) -> (u16, Value) {
    let mut request = reqwest::Client::new().get(format!("{base}{path}"));
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Whether a field error names `field` or a place inside it (`query.tags/0`).
fn names(fields: &[String], field: &str) -> bool {
    fields
        .iter()
        .any(|f| f == field || f.starts_with(&format!("{field}/")))
}

/// The fields a 400's field errors name.
fn fields(body: &Value) -> Vec<String> {
    body["fieldErrors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| f["field"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn parameters_of_every_location_style_and_schema() {
    let base = serve().await;
    let tags = vec![
        std::num::NonZeroU64::new(2).unwrap(),
        std::num::NonZeroU64::new(3).unwrap(),
    ];
    let echo = client(&base)
        .get_thing(
            &"t-1".parse().unwrap(),
            Some(&"all".parse().unwrap()),
            Some(&constructs_types::Mode::Fast),
            Some(&tags),
            Some(r#"{"field":"a","equals":"b"}"#),
            Some("x,y"),
        )
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        Value::Object(echo.0),
        json!({
            "thingId": "t-1", "tags": [2, 3], "filter": null, "mode": "fast", "amount": "all",
            "where": {"field": "a", "equals": "b"}, "xTrace": ["x", "y"], "session": null
        })
    );
    // What progenitor cannot send (deepObject, cookies) and a oneOf's other branch, raw.
    let (status, body) = get(
        &base,
        "/things/t-2?filter%5Bcolor%5D=red&filter%5Bsize%5D=3&amount=7",
        &[("cookie", "theme=dark; session=abcd")],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["filter"], json!({"color": "red", "size": 3}));
    assert_eq!(body["amount"], json!(7));
    assert_eq!(body["session"], json!("abcd"));
    // What the spec forbids, each named.
    let (status, body) = get(
        &base,
        "/things/nope?tags=0&filter%5Bcolor%5D=purple&mode=medium&amount=some&where=%7B",
        &[("cookie", "session=abc")],
    )
    .await;
    assert_eq!(status, 400, "{body}");
    let named = fields(&body);
    for field in [
        "path.thingId",
        "query.tags",
        "query.filter",
        "query.mode",
        "query.amount",
        "query.where",
        "cookie.session",
    ] {
        assert!(names(&named, field), "{field} not in {named:?}");
    }
}

#[tokio::test]
async fn names_that_collide_with_rust_or_the_adapter_and_a_sibling_path_parameter() {
    let base = serve().await;
    let (status, body) = get(
        &base,
        "/things/p-9/parts?request=r&meta=m&body=b&self=s&type=t&x-id=1&x_id=2",
        &[],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({"id": "p-9", "request": "r", "meta": "m", "body": "b", "self": "s", "type": "t", "x-id": "1", "x_id": "2"})
    );
    let echo = client(&base)
        .list_parts(
            "p-1",
            Some("b"),
            Some("m"),
            Some("r"),
            Some("s"),
            Some("t"),
            Some("1"),
        )
        .await
        .unwrap()
        .into_inner();
    assert_eq!(echo.0["request"], "r");
    assert_eq!(echo.0["x-id"], "1");
}

#[tokio::test]
async fn a_segment_mixing_parameters_and_text_and_a_response_in_several_media_types() {
    let base = serve().await;
    let echo = client(&base)
        .get_file(
            &"readme".parse().unwrap(),
            constructs_types::GetFileExt::Json,
        )
        .await
        .unwrap()
        .into_inner();
    assert_eq!(echo.0["name"], "readme");
    let text = reqwest::get(format!("{base}/files/readme.txt"))
        .await
        .unwrap();
    assert_eq!(text.headers()["content-type"], "text/plain");
    assert_eq!(text.text().await.unwrap(), "file readme");
    let bytes = reqwest::Client::new()
        .get(format!("{base}/files/readme.bin"))
        .header("accept", "application/octet-stream")
        .send()
        .await
        .unwrap();
    assert_eq!(bytes.bytes().await.unwrap().as_ref(), b"readme");
    for (path, field) in [
        ("/files/README.json", "path.name"),
        ("/files/readme.xml", "path.ext"),
        ("/files/readme", "path.nameSegment"),
    ] {
        let (status, body) = get(&base, path, &[]).await;
        assert_eq!(status, 400, "{path}: {body}");
        assert!(fields(&body).contains(&field.to_owned()), "{path}: {body}");
    }
}

#[tokio::test]
async fn a_body_in_several_media_types_chosen_by_content_type() {
    let base = serve().await;
    let note: constructs_types::Note =
        serde_json::from_value(json!({"text": "hi", "stars": 3})).unwrap();
    let created = client(&base).create_note(&note).await.unwrap().into_inner();
    assert_eq!((created.text.as_str(), created.stars), ("hi", Some(3)));
    let post = |content_type: &'static str, body: &'static str| {
        let base = base.clone();
        async move {
            let r = reqwest::Client::new()
                .post(format!("{base}/notes"))
                .header("content-type", content_type)
                .body(body)
                .send()
                .await
                .unwrap();
            (
                r.status().as_u16(),
                r.json::<Value>().await.unwrap_or(Value::Null),
            )
        }
    };
    let (status, body) = post(
        "application/x-www-form-urlencoded",
        "text=from+a+form&stars=2",
    )
    .await;
    assert_eq!(
        (status, &body),
        (
            201,
            &json!({"text": "from a form", "stars": 2, "pinned": false})
        )
    );
    let (status, body) = post("text/plain; charset=utf-8", "plain words").await;
    assert_eq!((status, &body), (201, &json!({"text": "plain words"})));
    let (status, body) = post("application/xml", "<note/>").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (415, Some("UNSUPPORTED_MEDIA_TYPE"))
    );
    // A JSON body the draft-4 model refuses is API Gateway's own 400.
    let (status, body) = post("application/json", r#"{"text": ""}"#).await;
    assert_eq!(
        (status, body["message"].as_str()),
        (400, Some("Invalid request body"))
    );
    let (status, body) = post("application/x-www-form-urlencoded", "text=x&stars=9").await;
    assert_eq!(status, 400);
    assert_eq!(fields(&body), ["/stars"]);
}

#[tokio::test]
async fn binary_bodies_both_ways() {
    let base = serve().await;
    let bytes: Vec<u8> = vec![0, 159, 146, 150, 255, b'\n'];
    client(&base).put_blob("b1", bytes.clone()).await.unwrap();
    let mut stream = client(&base)
        .get_blob("b1")
        .await
        .unwrap()
        .into_inner()
        .into_inner();
    let mut collected = Vec::new();
    while let Some(chunk) = futures_util::StreamExt::next(&mut stream).await {
        collected.extend_from_slice(&chunk.unwrap());
    }
    assert_eq!(collected, bytes);
}

#[tokio::test]
async fn a_multipart_body_with_a_file() {
    let base = serve().await;
    let form = reqwest::multipart::Form::new()
        .text("title", "holiday")
        .text("count", "2")
        .part(
            "file",
            reqwest::multipart::Part::bytes(vec![1u8, 2, 3]).file_name("a.bin"),
        );
    let response = reqwest::Client::new()
        .post(format!("{base}/uploads"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body["parts"],
        json!([
            {"name": "title", "fileName": null, "contentType": null, "bytes": 7},
            {"name": "count", "fileName": null, "contentType": null, "bytes": 1},
            {"name": "file", "fileName": "a.bin", "contentType": null, "bytes": 3}
        ])
    );
    let form = reqwest::multipart::Form::new().text("count", "x");
    let response = reqwest::Client::new()
        .post(format!("{base}/uploads"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 400);
    let body: Value = response.json().await.unwrap();
    let named = fields(&body);
    for field in ["/title", "/file", "/count"] {
        assert!(names(&named, field), "{field} not in {named:?}");
    }
}

#[tokio::test]
async fn derived_operation_id_statuses_with_their_own_bodies_and_no_declared_responses() {
    let base = serve().await;
    let html = client(&base)
        .get_report(constructs_types::GetReportFormat::Html)
        .await
        .unwrap();
    assert_eq!(html.status().as_u16(), 200);
    let (status, body) = get(&base, "/report?format=json", &[]).await;
    assert_eq!((status, body), (202, json!({"progress": 40})));
    let (status, body) = get(&base, "/report?format=pdf", &[]).await;
    assert_eq!(status, 400);
    assert_eq!(fields(&body), ["query.format"]);
    let deleted = reqwest::Client::new()
        .delete(format!("{base}/things/t-5"))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status().as_u16(), 204);
}

#[tokio::test]
async fn schemas_of_every_kind_round_trip_and_what_they_forbid_is_refused() {
    let base = serve().await;
    let drawing = json!({
        "shapes": [{"kind": "circle", "radius": 1.5}, {"kind": "square", "side": 2}],
        "anyShape": {"kind": "square", "side": 1},
        "framed": {"text": "t", "frame": "gold"},
        "notNegative": 3,
        "outline": {"label": "root", "children": [{"label": "leaf"}]},
        "labels": {"a": "x"},
        "extra": {"anything": [1, true]},
        "created": "2026-12-03T10:00:00Z",
        "day": "2026-12-03",
        "id": "6f1c8d3e-4b2a-4c5d-9e7f-0a1b2c3d4e5f",
        "email": "ada@example.com",
        "token": "aGVsbG8=",
        "secret": "s",
        "small": 7,
        "ratio": 0.5,
        "nickname": null,
        "level": 2
    });
    let typed: constructs_types::Drawing = serde_json::from_value(drawing.clone()).unwrap();
    let back = client(&base)
        .create_shape(&typed)
        .await
        .unwrap()
        .into_inner();
    let back = serde_json::to_value(back).unwrap();
    for key in [
        "shapes", "anyShape", "outline", "labels", "extra", "day", "id", "level",
    ] {
        assert_eq!(back[key], drawing[key], "{key}");
    }
    // What the draft-4 model sees is API Gateway's own 400 ...
    let send = |body: Value| {
        let base = base.clone();
        async move {
            let r = reqwest::Client::new()
                .post(format!("{base}/shapes"))
                .json(&body)
                .send()
                .await
                .unwrap();
            (
                r.status().as_u16(),
                r.json::<Value>().await.unwrap_or(Value::Null),
            )
        }
    };
    let mut gateway = drawing.clone();
    gateway["labels"] = json!({"a": "far too long a label"});
    let (status, body) = send(gateway).await;
    assert_eq!(
        (status, body["message"].as_str()),
        (400, Some("Invalid request body"))
    );
    // ... and what the model relaxes (formats, exclusive bounds, `nullable`'s
    // type) the adapter refuses, naming each field.
    let mut relaxed = drawing.clone();
    relaxed["shapes"] = json!([{"kind": "circle", "radius": 0}]);
    relaxed["created"] = json!("not a date");
    relaxed["email"] = json!("nobody");
    relaxed["id"] = json!("not-a-uuid");
    relaxed["nickname"] = json!(5);
    let (status, body) = send(relaxed).await;
    assert_eq!(status, 400, "{body}");
    let named = fields(&body);
    for field in ["/shapes/0", "/created", "/email", "/id", "/nickname"] {
        assert!(names(&named, field), "{field} not in {named:?}");
    }
}

#[tokio::test]
async fn a_label_style_path_parameter() {
    let base = serve().await;
    let (status, body) = get(&base, "/labels/.1.2.3", &[]).await;
    assert_eq!((status, body), (200, json!({"ids": [1, 2, 3]})));
    let (status, body) = get(&base, "/labels/.1.x", &[]).await;
    assert_eq!(status, 400);
    assert!(names(&fields(&body), "path.ids"), "{body}");
}
