//! The emulator on a service that is not accounts: a small "notes" document of our own
//! (`tests/fixtures/notes.apigateway.json`, a Terraform template like codegen's) exercising
//! what the accounts document does not: a security scheme whose name needs RFC 6901 escaping,
//! `$ref` chains to parameters, an operation parameter overriding a path-level one, an ANY
//! method with its own validator, another gateway response shape, `+` in a query string.

mod common;

use std::sync::Arc;

use apigateway_rest_emulator::cli::EmulatorArgs;
use apigateway_rest_emulator::document::{Auth, ParamLocation, RequiredParam};
use apigateway_rest_emulator::{
    ApiDocument, CognitoAuthorizer, LocalApi, SpecPages, TemplateValues,
};
use clap::Parser;
use common::*;
use serde_json::{json, Value};

const NOTES_TEMPLATE: &str = include_str!("fixtures/notes.apigateway.json");
const NOTES_SPEC: &str = include_str!("fixtures/notes.yaml");

fn notes() -> ApiDocument {
    ApiDocument::from_template(NOTES_TEMPLATE, &TemplateValues::default()).unwrap()
}

fn notes_api() -> LocalApi {
    let authorizer = CognitoAuthorizer::new(dev().authorizer_config().unwrap());
    LocalApi::new(notes(), Arc::new(Echo), config())
        .unwrap()
        .with_authorizer(authorizer)
        .with_pages(SpecPages::from_spec(NOTES_SPEC).unwrap())
}

fn route<'a>(
    doc: &'a ApiDocument,
    operation_id: &str,
) -> &'a apigateway_rest_emulator::document::Route {
    doc.routes
        .iter()
        .find(|r| r.operation_id == operation_id)
        .unwrap_or_else(|| panic!("no route {operation_id}"))
}

#[test]
fn the_template_renders_and_every_method_becomes_a_route() {
    let doc = notes();
    assert_eq!(
        doc.raw["info"]["description"],
        "Literal ${placeholders} and %{directives} survive."
    );
    let mut seen: Vec<(&str, &str, &str)> = doc
        .routes
        .iter()
        .map(|r| (r.method.as_str(), r.path.as_str(), r.operation_id.as_str()))
        .collect();
    seen.sort_unstable();
    assert_eq!(
        seen,
        [
            ("ANY", "/notes/{noteId}", "anyNote"),
            ("GET", "/notes", "listNotes"),
            ("GET", "/notes/{noteId}", "getNote"),
            ("POST", "/notes", "createNote"),
        ]
    );
    // The scheme `pool/main` is found through the escaped pointer `pool~1main`.
    assert_eq!(
        route(&doc, "createNote").auth,
        Auth::Cognito {
            scheme: "pool/main".to_owned(),
            header: "X-Session".to_owned(),
            scopes: Vec::new(),
        }
    );
    assert_eq!(route(&doc, "listNotes").auth, Auth::None);
    assert_eq!(
        route(&doc, "listNotes").timeout,
        Some(std::time::Duration::from_millis(5000))
    );
    // A `$ref` chain to the path parameter; the operation's required `X-Tenant` overrides the
    // optional path-level one.
    assert_eq!(
        route(&doc, "getNote").required_params,
        [
            RequiredParam {
                name: "noteId".to_owned(),
                location: ParamLocation::Path
            },
            RequiredParam {
                name: "X-Tenant".to_owned(),
                location: ParamLocation::Header
            },
        ]
    );
    let any = route(&doc, "anyNote");
    assert!(!any.validator.parameters && !any.validator.body);
    assert_eq!(
        any.required_params.len(),
        1,
        "only noteId: path-level X-Tenant is optional"
    );
}

#[tokio::test]
async fn routes_authorizes_and_validates_with_the_documents_own_rules() {
    let api = notes_api();
    // The overriding header is required: the gateway refuses without it.
    let a = req("GET", "/notes/n1").send(&api).await;
    assert_eq!(a.status, 400, "{}", a.text);
    assert_eq!(
        a.json(),
        json!({"error": "BAD_REQUEST_PARAMETERS", "detail": "Missing required request parameters: [X-Tenant]"})
    );
    assert_eq!(a.header("x-notes"), "gateway");
    let a = req("GET", "/notes/n1")
        .header("x-tenant", "t")
        .send(&api)
        .await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(a.json()["operationId"], "getNote");
    // Other methods on the resource go to the ANY method, which validates nothing.
    for method in ["DELETE", "PUT", "OPTIONS"] {
        let a = req(method, "/notes/n%2F1").send(&api).await;
        assert_eq!(a.status, 200, "{method}: {}", a.text);
        assert_eq!(a.json()["operationId"], "anyNote");
        assert_eq!(a.json()["pathParameters"], json!({"noteId": "n/1"}));
    }
    // The Cognito scheme reads its own header.
    let a = req("POST", "/notes")
        .json(r#"{"text":"hi"}"#)
        .send(&api)
        .await;
    assert_eq!(a.status, 401);
    assert_eq!(a.json()["error"], "login");
    assert_eq!(a.json()["requestId"], a.header("x-amzn-requestid"));
    let token = token(&alice());
    let a = req("POST", "/notes")
        .header("x-session", &token)
        .json(r#"{"text":"hi","tags":["a"]}"#)
        .send(&api)
        .await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(
        a.json()["requestContext"]["authorizer"]["claims"]["sub"],
        "alice-sub"
    );
    let a = req("POST", "/notes")
        .header("x-session", &token)
        .json(r#"{"text":""}"#)
        .send(&api)
        .await;
    assert_eq!(a.status, 400);
    assert_eq!(
        a.json(),
        json!({"error": "BAD_REQUEST_BODY", "detail": "Invalid request body"})
    );
    // Unknown routes take DEFAULT_4XX too.
    let a = req("GET", "/nowhere").send(&api).await;
    assert_eq!(a.status, 403);
    assert_eq!(a.json()["error"], "MISSING_AUTHENTICATION_TOKEN");
}

#[tokio::test]
async fn query_strings_decode_as_api_gateway_does() {
    let api = notes_api();
    // `+` is a space in a query (as API Gateway passes it to the function), `%2B` a plus;
    // a value without `=` is empty; a bad escape stays as written.
    let a = req("GET", "/notes?q=two+words&q=a%2Bb&flag&bad=%zz")
        .send(&api)
        .await;
    assert_eq!(a.status, 200, "{}", a.text);
    let query = &a.json()["query"];
    assert_eq!(query["q"], json!(["two words", "a+b"]));
    assert_eq!(query["flag"], json!([""]));
    assert_eq!(query["bad"], json!(["%zz"]));
}

#[tokio::test]
async fn the_docs_page_renders_the_specs_markdown_safely() {
    let api = notes_api();
    let docs = req("GET", "/docs").send(&api).await;
    assert_eq!(docs.status, 200);
    let page = &docs.text;
    assert!(
        page.contains("<li>list them with <code>GET /notes</code></li>"),
        "{page}"
    );
    assert!(page.contains("<a href=\"https://example.com/guide\">guide</a>"));
    assert!(page.contains("<pre><code>curl -H \"X-Session: $TOKEN\" /notes\n</code></pre>"));
    assert!(page.contains("&lt;script&gt;alert(\"no\")&lt;/script&gt;"));
    assert!(!page.contains("<script"));
    assert!(page.contains("<p>Every note, <em>newest</em> first.</p>"));
    assert!(page.contains("<td>Words the note <strong>must</strong> contain.</td>"));
    assert!(page.contains("id=\"op-listNotes\""));
    let spec: Value = serde_yaml::from_str(NOTES_SPEC).unwrap();
    assert_eq!(req("GET", "/openapi.json").send(&api).await.json(), spec);
}

#[test]
fn the_shared_flags_parse_as_a_local_binary_has_them() {
    #[derive(Parser, Debug)]
    struct Binary {
        #[command(flatten)]
        emulator: EmulatorArgs,
        #[arg(long)]
        in_memory: bool,
    }
    let parsed = Binary::try_parse_from(["notes-local", "--in-memory"]).unwrap();
    assert_eq!(
        parsed.emulator,
        EmulatorArgs {
            port: 3000,
            issuer: None,
            jwks_url: None,
            audience: None,
            dev_token_endpoint: false,
            api_keys: Vec::new(),
        }
    );
    assert!(parsed.in_memory);
    let parsed = Binary::try_parse_from([
        "notes-local",
        "--port",
        "0",
        "--issuer",
        "https://cognito-idp.us-east-1.amazonaws.com/p",
        "--jwks-url",
        "http://127.0.0.1:5000/p/.well-known/jwks.json",
        "--audience",
        "app",
    ])
    .unwrap();
    assert_eq!(parsed.emulator.port, 0);
    assert_eq!(parsed.emulator.audience.as_deref(), Some("app"));
    // An issuer needs its JWKS and the other way round.
    assert!(Binary::try_parse_from(["notes-local", "--issuer", "x"]).is_err());
    assert!(Binary::try_parse_from(["notes-local", "--jwks-url", "x"]).is_err());
}

/// A document with the two authorizers codegen writes for schemes beyond plain Cognito ID
/// tokens: a Cognito method with authorization scopes, and a custom (`REQUEST`) authorizer
/// reading an API key header.
fn secured_document() -> ApiDocument {
    let template = json!({
        "openapi": "3.0.1",
        "info": {"title": "secured", "version": "1"},
        "paths": {
            "/scoped": {"get": {
                "operationId": "readScoped",
                "security": [{"cognito": ["notes/read"]}],
                "responses": {"200": {"description": "ok"}},
                "x-amazon-apigateway-integration": {"type": "aws_proxy", "httpMethod": "POST",
                    "uri": "${lambda_invoke_arns.readScoped}"}
            }},
            "/partner": {"get": {
                "operationId": "readPartner",
                "security": [{"partnerKey": []}],
                "responses": {"200": {"description": "ok"}},
                "x-amazon-apigateway-integration": {"type": "aws_proxy", "httpMethod": "POST",
                    "uri": "${lambda_invoke_arns.readPartner}"}
            }}
        },
        "components": {"securitySchemes": {
            "cognito": {"type": "apiKey", "name": "Authorization", "in": "header",
                "x-amazon-apigateway-authtype": "cognito_user_pools",
                "x-amazon-apigateway-authorizer": {"type": "cognito_user_pools",
                    "providerARNs": ["${cognito_user_pool_arn}"]}},
            "partnerKey": {"type": "apiKey", "name": "X-Partner-Key", "in": "header",
                "x-amazon-apigateway-authtype": "custom",
                "x-amazon-apigateway-authorizer": {"type": "request",
                    "identitySource": "method.request.header.X-Partner-Key",
                    "authorizerUri": "${authorizer_invoke_arn}",
                    "authorizerResultTtlInSeconds": 300}}
        }}
    });
    ApiDocument::from_template(&template.to_string(), &TemplateValues::default()).unwrap()
}

#[tokio::test]
async fn scoped_methods_take_access_tokens_with_a_scope_and_custom_authorizers_ask_the_hook() {
    use apigateway_rest_emulator::custom_authorizer::DevKeys;
    let doc = secured_document();
    assert!(matches!(
        &route(&doc, "readScoped").auth,
        Auth::Cognito { scopes, .. } if scopes == &["notes/read".to_owned()]
    ));
    assert!(matches!(
        route(&doc, "readPartner").auth,
        Auth::Custom { .. }
    ));
    let api = LocalApi::new(doc, Arc::new(Echo), config())
        .unwrap()
        .with_authorizer(CognitoAuthorizer::new(dev().authorizer_config().unwrap()))
        .with_custom_authorizer(Arc::new(DevKeys::new(["k-1".to_owned()])));
    assert!(api.has_custom_routes());

    // Scopes: an ID token is refused; an access token needs one of the method's scopes.
    let id = token(&alice());
    let read = dev()
        .mint_access_token(&alice(), &["notes/read".to_owned(), "openid".to_owned()])
        .unwrap();
    let write = dev()
        .mint_access_token(&alice(), &["notes/write".to_owned()])
        .unwrap();
    for (name, token, status) in [
        ("id token", &id, 401),
        ("other scope", &write, 401),
        ("scope", &read, 200),
    ] {
        let a = req("GET", "/scoped")
            .header("authorization", token)
            .send(&api)
            .await;
        assert_eq!(a.status, status, "{name}: {}", a.text);
    }
    let a = req("GET", "/scoped")
        .header("authorization", &read)
        .send(&api)
        .await;
    assert_eq!(
        a.json()["requestContext"]["authorizer"]["claims"]["token_use"],
        "access"
    );

    // The custom authorizer: no credential 401 without asking, a wrong one 403, the right
    // one reaches the function with the hook's principal.
    let a = req("GET", "/partner").send(&api).await;
    assert_eq!(a.status, 401, "{}", a.text);
    let a = req("GET", "/partner")
        .header("x-partner-key", "k-2")
        .send(&api)
        .await;
    assert_eq!(a.status, 403, "{}", a.text);
    let a = req("GET", "/partner")
        .header("x-partner-key", "k-1")
        .send(&api)
        .await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(
        a.json()["requestContext"]["authorizer"]["principalId"],
        "dev-key-1"
    );
    assert!(a.json()["requestContext"]["authorizer"]
        .get("claims")
        .is_none());

    // Without a hook the route is API Gateway's authorizer configuration error.
    let bare = LocalApi::new(secured_document(), Arc::new(Echo), config()).unwrap();
    let a = req("GET", "/partner")
        .header("x-partner-key", "k-1")
        .send(&bare)
        .await;
    assert_eq!(a.status, 500, "{}", a.text);
}
