//! The Terraform template the import document is.
//!
//! The generated document (`generated/apigateway.json`) is a Terraform
//! [`templatefile`](https://developer.hashicorp.com/terraform/language/functions/templatefile)
//! template: `${lambda_invoke_arns.<key>}`, `${cognito_user_pool_arn}` and `${authorizer_invoke_arn}` are placeholders and
//! every literal `${` is escaped as `$${`. [`render_template`] fills the placeholders with
//! local values exactly as Terraform would, so the emulator reads the very bytes API Gateway
//! imports.

use crate::document::DocumentError;

/// The local stand-ins for the values Terraform passes to `templatefile`.
///
/// The ARNs only need the right shape (the event carries none of them, but the Lambda context's
/// `invoked_function_arn` is taken from the integration URI).
#[derive(Debug, Clone)]
pub struct TemplateValues {
    /// Region used in the ARNs (e.g. `us-east-1`).
    pub region: String,
    /// Account id used in the ARNs.
    pub account_id: String,
}

impl Default for TemplateValues {
    fn default() -> Self {
        Self {
            region: "us-east-1".to_owned(),
            account_id: "123456789012".to_owned(),
        }
    }
}

impl TemplateValues {
    /// The Lambda function ARN that stands in for the function behind operation `key`.
    pub fn function_arn(&self, key: &str) -> String {
        format!(
            "arn:aws:lambda:{}:{}:function:{key}",
            self.region, self.account_id
        )
    }

    /// The API Gateway invoke ARN Terraform's `aws_lambda_function.invoke_arn` has.
    pub fn invoke_arn(&self, key: &str) -> String {
        format!(
            "arn:aws:apigateway:{}:lambda:path/2015-03-31/functions/{}/invocations",
            self.region,
            self.function_arn(key)
        )
    }

    /// The custom authorizer's invoke ARN placeholder value (the local server decides with
    /// its [`crate::custom_authorizer::CustomAuthorizer`] hook, never by calling it).
    pub fn authorizer_invoke_arn(&self) -> String {
        format!(
            "arn:aws:apigateway:{}:lambda:path/2015-03-31/functions/arn:aws:lambda:{}:{}:function:local-authorizer/invocations",
            self.region, self.region, self.account_id
        )
    }

    /// The user pool ARN placeholder value.
    pub fn user_pool_arn(&self) -> String {
        format!(
            "arn:aws:cognito-idp:{}:{}:userpool/{}_local",
            self.region, self.account_id, self.region
        )
    }
}

/// Renders the `templatefile` template: fills `${lambda_invoke_arns.<key>}`,
/// `${cognito_user_pool_arn}` and `${authorizer_invoke_arn}`, turns the escapes `$${` into `${` and `%%{` into `%{`, and refuses
/// any other placeholder as Terraform would.
pub fn render_template(template: &str, values: &TemplateValues) -> Result<String, DocumentError> {
    let mut out = String::with_capacity(template.len() + 1024);
    let mut rest = template;
    let mut offset = 0usize;
    loop {
        let next = rest.find(['$', '%']);
        let Some(i) = next else {
            out.push_str(rest);
            break;
        };
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if let Some(after) = tail.strip_prefix("$${") {
            out.push_str("${");
            offset += i + 3;
            rest = after;
        } else if let Some(after) = tail.strip_prefix("%%{") {
            out.push_str("%{");
            offset += i + 3;
            rest = after;
        } else if let Some(after) = tail.strip_prefix("${") {
            let end = after
                .find('}')
                .ok_or(DocumentError::UnterminatedPlaceholder(offset + i))?;
            let name = after[..end].trim();
            if name == "cognito_user_pool_arn" {
                out.push_str(&values.user_pool_arn());
            } else if name == "authorizer_invoke_arn" {
                out.push_str(&values.authorizer_invoke_arn());
            } else if let Some(key) = name.strip_prefix("lambda_invoke_arns.") {
                out.push_str(&values.invoke_arn(key));
            } else {
                return Err(DocumentError::UnknownPlaceholder(name.to_owned()));
            }
            offset += i + 2 + end + 1;
            rest = &after[end + 1..];
        } else {
            // A lone `$` or `%`: copy it and go on after it.
            let ch_len = 1;
            out.push_str(&tail[..ch_len]);
            offset += i + ch_len;
            rest = &tail[ch_len..];
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn renders_placeholders_and_escapes() {
        let values = TemplateValues::default();
        let out = render_template(
            r#"{"a":"${lambda_invoke_arns.getHealth}","b":"${cognito_user_pool_arn}","c":"$${x} 100% %%{y}"}"#,
            &values,
        )
        .unwrap();
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["a"], values.invoke_arn("getHealth"));
        assert_eq!(v["b"], values.user_pool_arn());
        assert_eq!(v["c"], "${x} 100% %{y}");
    }

    #[test]
    fn refuses_unknown_placeholders() {
        let err = render_template("${nope}", &TemplateValues::default()).unwrap_err();
        assert!(matches!(err, DocumentError::UnknownPlaceholder(n) if n == "nope"));
        assert!(render_template("${open", &TemplateValues::default()).is_err());
    }
}
