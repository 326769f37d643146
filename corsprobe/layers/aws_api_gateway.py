"""AWS API Gateway's CORS: an HTTP API's ``CorsConfiguration`` (API Gateway answers preflights itself and adds
the configured headers to integration responses, ignoring the backend's CORS headers) and a REST API's
"Enable CORS" (a mock OPTIONS integration whose method response maps ``Access-Control-Allow-*`` values).
Cannot run here: fingerprinted from AWS's documentation ("Configure CORS for HTTP APIs in API Gateway",
docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html; "Enable CORS for a REST API
resource", .../how-to-cors.html) and from public recordings of real answers (tests/layers/data/recorded/
aws-api-gateway.json says which). The tells are API Gateway's own headers, not CORS ones: ``apigw-requestid``
(HTTP API), ``x-amzn-RequestId`` with ``x-amz-apigw-id`` (REST API), and the console's default REST
Allow-Headers list ``Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token``.
"""

from __future__ import annotations

from collections.abc import Sequence

from corsprobe.layers.base import Match, Policy, Problem, ProblemCode
from corsprobe.layers.evidence import Score, seen_all
from corsprobe.layers.syntax import merged, methods_with
from corsprobe.model import Exchange

CONSOLE_HEADERS = "Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token"


def _yaml(values: Sequence[str]) -> str:
    return "[" + ", ".join('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values) + "]"


class AwsApiGateway:
    """``CorsConfiguration`` of an ``AWS::ApiGatewayV2::Api`` / SAM ``AWS::Serverless::HttpApi``."""

    id = "aws-api-gateway"
    title = "AWS API Gateway CORS"

    def fingerprint(self, exchanges: Sequence[Exchange]) -> Match | None:
        score = Score()
        for seen in seen_all(exchanges):
            if seen.value("apigw-requestid") is not None:
                score.add(60, "apigw-requestid header (API Gateway HTTP API)")
            if seen.value("x-amz-apigw-id") is not None:
                score.add(45, "x-amz-apigw-id header (API Gateway REST API)")
            if seen.value("x-amzn-requestid") is not None:
                score.add(15, "x-amzn-RequestId header (an AWS front end)")
            if (seen.value("access-control-allow-headers") or "").replace(" ", "") == CONSOLE_HEADERS:
                score.add(40, f"Access-Control-Allow-Headers: {CONSOLE_HEADERS} (the REST console's Enable CORS)")
        return score.match()

    def config_fix(self, problem: Problem) -> str | None:
        code, origin = problem.code, problem.origin
        if code in (ProblemCode.ORIGIN_NOT_ALLOWED, ProblemCode.INVALID_ALLOW_ORIGIN):
            return (f"CorsConfiguration: {{ AllowOrigins: {_yaml([origin])} }}  # with the origins already listed; "
                    f"REST API: method.response.header.Access-Control-Allow-Origin = \"'{origin}'\"")
        if code in (ProblemCode.WILDCARD_WITH_CREDENTIALS, ProblemCode.ANY_ORIGIN_WITH_CREDENTIALS):
            return (f"CorsConfiguration: {{ AllowOrigins: {_yaml([origin])}, AllowCredentials: true }}  # list the "
                    "origins; a REST integration must return one listed origin, not whatever Origin says")
        if code is ProblemCode.CREDENTIALS_NOT_ALLOWED:
            return ("CorsConfiguration: { AllowCredentials: true }  # with AllowOrigins listing the origins; "
                    "REST API: method.response.header.Access-Control-Allow-Credentials = \"'true'\"")
        if code is ProblemCode.METHOD_NOT_ALLOWED:
            listed = merged(problem.observed, problem.methods, fold=False) if problem.observed else \
                methods_with(problem.methods)
            return f"CorsConfiguration: {{ AllowMethods: {_yaml(listed)} }}"
        if code is ProblemCode.HEADER_NOT_ALLOWED:
            return f"CorsConfiguration: {{ AllowHeaders: {_yaml(merged(problem.observed, problem.headers))} }}"
        if code is ProblemCode.HEADER_NOT_EXPOSED:
            return f"CorsConfiguration: {{ ExposeHeaders: {_yaml(merged(problem.observed, problem.headers))} }}"
        if code in (ProblemCode.PREFLIGHT_SKIPS_LAYER, ProblemCode.PREFLIGHT_STATUS):
            return ("HTTP API: set CorsConfiguration and remove any OPTIONS route with an authorizer (ANY /{proxy+} "
                    "routes too); REST API: an OPTIONS method with a MOCK integration and AuthorizationType NONE")
        if code is ProblemCode.ERROR_SKIPS_LAYER:
            return ("REST API: AWS::ApiGateway::GatewayResponse DEFAULT_4XX and DEFAULT_5XX with "
                    "ResponseParameters gatewayresponse.header.Access-Control-Allow-Origin (the listed origin)")
        return None

    def suggest(self, policy: Policy) -> str:
        lines = [f"      AllowOrigins: {_yaml(policy.origins)}",
                 f"      AllowMethods: {_yaml(methods_with(policy.methods))}"]
        if policy.headers:
            lines.append(f"      AllowHeaders: {_yaml(policy.headers)}")
        if policy.expose:
            lines.append(f"      ExposeHeaders: {_yaml(policy.expose)}")
        if policy.credentials:
            lines.append("      AllowCredentials: true")
        lines.append("      MaxAge: 600")
        return "\n".join([
            "# CloudFormation AWS::ApiGatewayV2::Api (HTTP API); SAM AWS::Serverless::HttpApi takes the same",
            "# CorsConfiguration. API Gateway then answers preflights itself and ignores the backend's CORS headers.",
            "HttpApi:", "  Type: AWS::ApiGatewayV2::Api", "  Properties:", "    ProtocolType: HTTP",
            "    CorsConfiguration:", *lines,
        ]) + "\n"


LAYER = AwsApiGateway()
