//! The catalogue of rules: every kind of change the comparison reports, with
//! a stable id (what `--format json`, the changelog and `codegen/README.md`
//! name) and the family of the document it belongs to.

use serde::{Serialize, Serializer};
use std::fmt;

/// The part of the document a rule looks at (one module each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    Document,
    Operations,
    Parameters,
    RequestBodies,
    Responses,
    Schemas,
    Components,
    Security,
}

impl Family {
    pub fn title(self) -> &'static str {
        match self {
            Self::Document => "document",
            Self::Operations => "paths and operations",
            Self::Parameters => "parameters",
            Self::RequestBodies => "request bodies",
            Self::Responses => "responses",
            Self::Schemas => "schemas",
            Self::Components => "component schemas",
            Self::Security => "security",
        }
    }
}

macro_rules! rules {
    ($($variant:ident => $id:literal, $family:ident, $summary:literal;)+) => {
        /// One kind of change.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule {
            $(
                #[doc = $summary]
                $variant,
            )+
        }

        impl Rule {
            /// Every rule, in catalogue order.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),+];

            /// The stable kebab-case id.
            pub fn id(self) -> &'static str {
                match self {
                    $(Rule::$variant => $id,)+
                }
            }

            pub fn family(self) -> Family {
                match self {
                    $(Rule::$variant => Family::$family,)+
                }
            }

            /// One line: what the rule detects.
            pub fn summary(self) -> &'static str {
                match self {
                    $(Rule::$variant => $summary,)+
                }
            }

            /// The rule with this id.
            pub fn from_id(id: &str) -> Option<Rule> {
                Self::ALL.iter().copied().find(|r| r.id() == id)
            }
        }
    };
}

rules! {
    OpenapiVersionChanged => "openapi-version-changed", Document, "The `openapi` version of the document changed.";
    ServerAdded => "server-added", Document, "A server URL was added.";
    ServerRemoved => "server-removed", Document, "A server URL was removed.";

    OperationAdded => "operation-added", Operations, "A new operation (path and method).";
    OperationRemoved => "operation-removed", Operations, "An operation is gone.";
    OperationMoved => "operation-moved", Operations, "An operation kept its `operationId` but moved to another path or method.";
    OperationIdChanged => "operation-id-changed", Operations, "An operation's `operationId` (the client method's name) changed.";
    OperationDeprecated => "operation-deprecated", Operations, "An operation was marked `deprecated`.";
    OperationUndeprecated => "operation-undeprecated", Operations, "An operation is no longer `deprecated`.";
    CallbackAdded => "callback-added", Operations, "A callback or webhook the API calls was added.";
    CallbackRemoved => "callback-removed", Operations, "A callback or webhook the API calls was removed.";
    CallbackChanged => "callback-changed", Operations, "A callback or webhook the API calls changed (compared as a whole).";

    ParameterAddedRequired => "parameter-added-required", Parameters, "A new required parameter.";
    ParameterAddedOptional => "parameter-added-optional", Parameters, "A new optional parameter.";
    ParameterRemoved => "parameter-removed", Parameters, "A parameter is gone.";
    ParameterBecameRequired => "parameter-became-required", Parameters, "An optional parameter became required.";
    ParameterBecameOptional => "parameter-became-optional", Parameters, "A required parameter became optional.";
    ParameterMoved => "parameter-moved", Parameters, "A parameter moved to another location (`in`).";
    ParameterStyleChanged => "parameter-style-changed", Parameters, "A parameter's serialization (`style`, `explode`, `allowReserved`, `content` media type) changed.";
    PathParameterRenamed => "path-parameter-renamed", Parameters, "A path parameter was renamed in the template (same position).";
    ParameterDeprecated => "parameter-deprecated", Parameters, "A parameter was marked `deprecated`.";

    RequestBodyAddedRequired => "request-body-added-required", RequestBodies, "An operation now requires a request body.";
    RequestBodyAddedOptional => "request-body-added-optional", RequestBodies, "An operation now accepts an optional request body.";
    RequestBodyRemoved => "request-body-removed", RequestBodies, "An operation no longer takes a request body.";
    RequestBodyBecameRequired => "request-body-became-required", RequestBodies, "An optional request body became required.";
    RequestBodyBecameOptional => "request-body-became-optional", RequestBodies, "A required request body became optional.";
    RequestMediaTypeAdded => "request-media-type-added", RequestBodies, "A request body media type was added.";
    RequestMediaTypeRemoved => "request-media-type-removed", RequestBodies, "A request body media type was removed.";

    ResponseStatusAdded => "response-status-added", Responses, "An operation declares a new response status.";
    ResponseSuccessStatusRemoved => "response-success-status-removed", Responses, "A 2XX response status is gone.";
    ResponseStatusRemoved => "response-status-removed", Responses, "A non-2XX response status is gone.";
    ResponseMediaTypeAdded => "response-media-type-added", Responses, "A response media type was added.";
    ResponseMediaTypeRemoved => "response-media-type-removed", Responses, "A response media type was removed.";
    ResponseBodyAdded => "response-body-added", Responses, "A response that had no body now has one.";
    ResponseBodyRemoved => "response-body-removed", Responses, "A response no longer has a body.";
    ResponseHeaderAdded => "response-header-added", Responses, "A response header was added.";
    ResponseHeaderRemoved => "response-header-removed", Responses, "A response header is gone.";
    ResponseHeaderBecameOptional => "response-header-became-optional", Responses, "A required response header became optional.";
    ResponseHeaderBecameRequired => "response-header-became-required", Responses, "An optional response header became required.";

    TypeChanged => "type-changed", Schemas, "A schema's `type` changed (wider, narrower or different).";
    NullableAdded => "nullable-added", Schemas, "A value may now be `null`.";
    NullableRemoved => "nullable-removed", Schemas, "A value may no longer be `null`.";
    FormatChanged => "format-changed", Schemas, "A `format` was added, removed or changed.";
    EnumValueAdded => "enum-value-added", Schemas, "An `enum` gained a value.";
    EnumValueRemoved => "enum-value-removed", Schemas, "An `enum` lost a value.";
    EnumAdded => "enum-added", Schemas, "A free value was restricted to an `enum` (or `const`).";
    EnumRemoved => "enum-removed", Schemas, "An `enum` (or `const`) restriction was dropped.";
    NumericBoundTightened => "numeric-bound-tightened", Schemas, "`minimum`, `maximum`, their exclusive forms or `multipleOf` now allow fewer numbers.";
    NumericBoundLoosened => "numeric-bound-loosened", Schemas, "`minimum`, `maximum`, their exclusive forms or `multipleOf` now allow more numbers.";
    LengthBoundTightened => "length-bound-tightened", Schemas, "`minLength` or `maxLength` now allow fewer strings.";
    LengthBoundLoosened => "length-bound-loosened", Schemas, "`minLength` or `maxLength` now allow more strings.";
    ItemsBoundTightened => "items-bound-tightened", Schemas, "`minItems`, `maxItems` or `uniqueItems` now allow fewer arrays.";
    ItemsBoundLoosened => "items-bound-loosened", Schemas, "`minItems`, `maxItems` or `uniqueItems` now allow more arrays.";
    PropertiesBoundTightened => "properties-bound-tightened", Schemas, "`minProperties` or `maxProperties` now allow fewer objects.";
    PropertiesBoundLoosened => "properties-bound-loosened", Schemas, "`minProperties` or `maxProperties` now allow more objects.";
    PatternAdded => "pattern-added", Schemas, "A string got a `pattern`.";
    PatternRemoved => "pattern-removed", Schemas, "A string's `pattern` was dropped.";
    PatternChanged => "pattern-changed", Schemas, "A string's `pattern` changed.";
    PropertyAdded => "property-added", Schemas, "An object gained an optional property.";
    RequiredPropertyAdded => "required-property-added", Schemas, "An object gained a required property.";
    PropertyRemoved => "property-removed", Schemas, "An object lost a property.";
    PropertyBecameRequired => "property-became-required", Schemas, "An optional property became required.";
    PropertyBecameOptional => "property-became-optional", Schemas, "A required property became optional.";
    AdditionalPropertiesDisallowed => "additional-properties-disallowed", Schemas, "An object no longer allows properties it does not list.";
    AdditionalPropertiesAllowed => "additional-properties-allowed", Schemas, "An object now allows properties it does not list.";
    DefaultAdded => "default-added", Schemas, "A `default` was added.";
    DefaultRemoved => "default-removed", Schemas, "A `default` was dropped.";
    DefaultChanged => "default-changed", Schemas, "A `default` changed.";
    AlternativeAdded => "alternative-added", Schemas, "A `oneOf`/`anyOf` gained an alternative.";
    AlternativeRemoved => "alternative-removed", Schemas, "A `oneOf`/`anyOf` lost an alternative.";
    CompositionChanged => "composition-changed", Schemas, "`oneOf` became `anyOf` (or back), a `discriminator` or a `not` changed.";
    SchemaKeywordChanged => "schema-keyword-changed", Schemas, "Another validation keyword (`readOnly`, `writeOnly`, `prefixItems`, ...) changed.";
    SchemaDeprecated => "schema-deprecated", Schemas, "A schema or property was marked `deprecated`.";
    RustTypeChanged => "rust-type-changed", Schemas, "The Rust type generated for a value changes although no wire rule above breaks.";

    SchemaAdded => "schema-added", Components, "A component schema (a generated type) was added.";
    SchemaRemoved => "schema-removed", Components, "A component schema (a generated type) is gone.";
    SchemaRenamed => "schema-renamed", Components, "A component schema was renamed (same content under a new name).";

    SecurityAdded => "security-added", Security, "A public operation now needs credentials.";
    SecurityRemoved => "security-removed", Security, "An operation no longer needs credentials.";
    SecurityAlternativeAdded => "security-alternative-added", Security, "An operation accepts one more security requirement.";
    SecurityAlternativeRemoved => "security-alternative-removed", Security, "An operation no longer accepts one of its security requirements.";
    SecurityScopeAdded => "security-scope-added", Security, "A security requirement needs one more scope.";
    SecurityScopeRemoved => "security-scope-removed", Security, "A security requirement needs one scope less.";
    SecuritySchemeChanged => "security-scheme-changed", Security, "A security scheme's type, location, name or flow URLs changed.";
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for Rule {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case_and_round_trip() {
        let mut seen = std::collections::BTreeSet::new();
        for rule in Rule::ALL {
            assert!(seen.insert(rule.id()), "duplicate id {}", rule.id());
            assert!(
                rule.id()
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{} is not kebab-case",
                rule.id()
            );
            assert_eq!(Rule::from_id(rule.id()), Some(*rule));
        }
    }
}
