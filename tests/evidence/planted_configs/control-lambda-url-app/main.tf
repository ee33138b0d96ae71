resource "aws_cloudfront_distribution" "site" {
  enabled = true
  aliases = ["www.example.com"]
  default_root_object = ""
  origin {
    domain_name = split("/", aws_lambda_function_url.fn.function_url)[2]
    origin_id = "fn"
    origin_access_control_id = "E3OACLAMBDA1"
    custom_origin_config {
      http_port = 80
      https_port = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols = ["TLSv1.2"]
      origin_read_timeout = 30
    }
  }
  default_cache_behavior {
    target_origin_id = "fn"
    allowed_methods = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]
    cached_methods = ["GET", "HEAD"]
    viewer_protocol_policy = "redirect-to-https"
    cache_policy_id = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
    origin_request_policy_id = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
  }
  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }
  viewer_certificate {
    acm_certificate_arn = "arn:aws:acm:us-east-1:123456789012:certificate/abcd-1234"
    ssl_support_method = "sni-only"
  }
}
