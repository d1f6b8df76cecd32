//! codegen: the contract pipeline. One hand-written OpenAPI 3.0 document in,
//! everything that must agree with it out.
//!
//! The stages, each a module, each depending only on the ones before it:
//! [`source`] (parse) → [`check`] (refuse what cannot be generated; lint what
//! API Gateway or our conventions reject) → [`model`] (operations with every
//! name and type decided once) → [`emit`] (one emitter per output) →
//! [`output`] (write, or compare for `check`). All of them read the raw
//! document through the `openapi_document` crate (operations, merged
//! parameters, `$ref`s, pointers), which the emulator and the API reference
//! share.

pub mod check;
pub mod diagnostics;
pub mod emit;
pub mod evolution;
pub mod model;
pub mod names;
pub mod output;
pub mod scaffold;
pub mod schema_json;
pub mod source;
pub mod types;
pub mod typify_input;

use diagnostics::{Diagnostic, InternalError, Severity};
use output::{Layout, OutputFile};
use std::path::Path;

/// Why the pipeline stopped.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    /// The spec is refused; every diagnostic names file and pointer.
    #[error("{} problem(s) in the spec", .0.len())]
    Spec(Vec<Diagnostic>),
    /// codegen (or typify, progenitor) failed on a spec it accepted: a bug.
    #[error(transparent)]
    Internal(#[from] InternalError),
}

impl Refusal {
    /// The spec's problems (none for an internal error).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Self::Spec(d) => d,
            Self::Internal(_) => &[],
        }
    }
}

impl From<Vec<Diagnostic>> for Refusal {
    fn from(diagnostics: Vec<Diagnostic>) -> Self {
        Self::Spec(diagnostics)
    }
}

/// Everything generated from one spec.
pub struct Generated {
    pub layout: Layout,
    pub files: Vec<OutputFile>,
    /// Directories whose generated files are all in `files`: a generated file
    /// there that is not is an orphan (see [`output::orphans`]).
    pub owned_dirs: Vec<std::path::PathBuf>,
}

/// Parses and checks a spec, returning it with its lints.
pub fn load_checked(spec_path: &Path) -> Result<(source::Spec, Vec<Diagnostic>), Refusal> {
    let spec = source::load(spec_path).map_err(Refusal::Spec)?;
    let errors = relocated(&spec, check::errors(&spec));
    if !errors.is_empty() {
        return Err(Refusal::Spec(errors));
    }
    let mut lints = spec.reading_lints.clone();
    lints.extend(relocated(&spec, check::lints(&spec)));
    Ok((spec, lints))
}

/// Diagnostics about bundled parts, pointed at the files that hold them.
fn relocated(spec: &source::Spec, mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    for d in &mut diagnostics {
        spec.relocate(d);
    }
    diagnostics
}

/// What to generate, beyond the spec.
#[derive(Debug, Clone)]
pub struct Options {
    /// Overrides the service name taken from the spec (it names the crates).
    pub service: Option<String>,
    /// The output root (`--out`): generated crates refer to the runtime crate
    /// by a path from there.
    pub out: std::path::PathBuf,
    /// Whether to write the handler wiring: one Lambda `main` per function and the
    /// local server's backend.
    pub lambdas: bool,
    /// How operations without `x-aws-function` are grouped into functions.
    pub grouping: model::Grouping,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            service: None,
            out: ".".into(),
            lambdas: true,
            grouping: model::Grouping::PerOperation,
        }
    }
}

impl Options {
    /// The runtime crate's directory, relative to the output root: this
    /// repository's `codegen/runtime` (codegen knows where it was built).
    pub fn runtime_dir(&self) -> std::path::PathBuf {
        let runtime = lexical(&Path::new(env!("CARGO_MANIFEST_DIR")).join("runtime"));
        let out = lexical(&std::path::absolute(&self.out).unwrap_or_else(|_| self.out.clone()));
        emit::crate_manifests::relative(&out, &runtime).into()
    }
}

/// `a/b/../c` → `a/c`, without the file system.
pub(crate) fn lexical(path: &Path) -> std::path::PathBuf {
    let mut out = std::path::PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The whole pipeline, without touching the disk beyond reading the spec.
/// `spec_label` is how generated headers name the spec (a repo-relative path).
/// `service` overrides the name taken from the spec (it names the crates).
pub fn generate(
    spec_path: &Path,
    spec_label: &str,
    service: Option<&str>,
) -> Result<Generated, Refusal> {
    let options = Options {
        service: service.map(str::to_owned),
        ..Options::default()
    };
    generate_with(spec_path, spec_label, &options)
}

/// [`generate`] with every option.
pub fn generate_with(
    spec_path: &Path,
    spec_label: &str,
    options: &Options,
) -> Result<Generated, Refusal> {
    let service = options.service.as_deref();
    let (spec, _lints) = load_checked(spec_path)?;
    let service = service
        .map(names::kebab)
        .unwrap_or_else(|| service_name(&spec));
    let layout = Layout::for_service(&service);
    let mut api = model::build_grouped(&spec, &layout.types_crate, options.grouping).map_err(
        |r| match r {
            Refusal::Spec(d) => Refusal::Spec(relocated(&spec, d)),
            internal => internal,
        },
    )?;
    api.service = service;
    let internal = |doing: &str, message: String| InternalError {
        doing: doing.to_owned(),
        file: spec.file.clone(),
        pointer: None,
        message,
    };
    let types_rs =
        emit::types::emit(&api, spec_label).map_err(|e| internal("generating the types", e))?;
    let server_rs =
        emit::server::emit(&api, spec_label).map_err(|e| internal("generating the server", e))?;
    let client_rs = emit::client::emit(&spec, &api, spec_label)?;
    let mut files = Vec::new();
    files.extend(emit::crate_files(
        &layout.types_dir,
        spec_label,
        &format!("Request and response types of {} {}, generated with typify from `{spec_label}`.\nShared by the server crate and the client crate.", api.title, api.version),
        types_rs,
    ));
    files.extend(emit::crate_files(
        &layout.server_dir,
        spec_label,
        &format!("The server side of {} {}, generated from `{spec_label}`: one handler trait per\noperation, typed requests and responses, validation and lambda_http adapters.", api.title, api.version),
        server_rs,
    ));
    files.push(OutputFile {
        path: layout.client_rs.clone(),
        contents: client_rs,
    });
    files.push(OutputFile {
        path: layout.apigateway_json.clone(),
        contents: emit::apigateway::emit(&spec, &api),
    });
    files.push(OutputFile {
        path: layout.manifest_json.clone(),
        contents: emit::manifest::emit(&api),
    });
    files.push(emit::reference::emit(&spec, &layout, spec_label));
    files.extend(emit::crate_manifests::emit(
        &api,
        &layout,
        spec_label,
        &options.runtime_dir(),
    ));
    let mut owned_dirs = Vec::new();
    if options.lambdas {
        files.extend(emit::lambdas::emit(&api, &layout, spec_label));
        files.push(emit::local_backend::emit(&api, &layout, spec_label));
        owned_dirs.push(layout.lambda_bins_dir.clone());
    }
    files.extend(emit::client_manifest::emit(
        &spec, spec_path, spec_label, &layout, &api,
    )?);
    Ok(Generated {
        layout,
        files,
        owned_dirs,
    })
}

/// Everything `lint` reports: refusals, or else the lints.
pub fn lint(spec_path: &Path) -> Result<Vec<Diagnostic>, InternalError> {
    match load_checked(spec_path) {
        Err(Refusal::Internal(e)) => Err(e),
        Err(r) => Ok(r.diagnostics().to_vec()),
        Ok((spec, lints)) => match model::build(&spec, "lint-types") {
            Err(Refusal::Internal(e)) => Err(e),
            Err(r) => Ok(relocated(&spec, r.diagnostics().to_vec())
                .into_iter()
                .chain(lints)
                .collect()),
            Ok(api) => Ok(lints
                .into_iter()
                .chain(check::lint::gateway_limits(&spec, &api))
                .collect()),
        },
    }
}

/// `x-service-name`, else the title in kebab case.
pub fn service_name(spec: &source::Spec) -> String {
    spec.raw
        .pointer("/info/x-service-name")
        .and_then(serde_json::Value::as_str)
        .map(names::kebab)
        .unwrap_or_else(|| names::kebab(&spec.openapi.info.title))
}

/// Whether any diagnostic blocks generation.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.severity == Severity::Error)
}
