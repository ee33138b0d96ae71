resource "aws_cloudfront_distribution" "site" {
  enabled = true
  aliases = ["www.example.com"]
  default_root_object = "index.html"
  origin {
    domain_name = "site-assets.s3-website-us-east-1.amazonaws.com"
    origin_id = "site"
    origin_access_control_id = "E2OACEXAMPLE1"
    custom_origin_config {
      http_port = 80
      https_port = 443
      origin_protocol_policy = "http-only"
      origin_ssl_protocols = ["TLSv1.2"]
      origin_read_timeout = 30
    }
  }
  default_cache_behavior {
    target_origin_id = "site"
    allowed_methods = ["GET", "HEAD"]
    cached_methods = ["GET", "HEAD"]
    viewer_protocol_policy = "redirect-to-https"
    cache_policy_id = "658327ea-f89d-4fab-a63d-7e88639e58f6"
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
