resource "aws_cloudfront_distribution" "site" {
  enabled = true
  aliases = ["www.example.com"]
  default_root_object = ""
  origin {
    domain_name = "internal-app-42.us-east-1.elb.amazonaws.com"
    origin_id = "app"
    custom_origin_config {
      http_port = 80
      https_port = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols = ["TLSv1.2"]
      origin_read_timeout = 30
    }
  }
  default_cache_behavior {
    target_origin_id = "app"
    allowed_methods = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]
    cached_methods = ["GET", "HEAD"]
    viewer_protocol_policy = "redirect-to-https"
    cache_policy_id = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
    origin_request_policy_id = "216adef6-5c7f-47e4-b989-5492eafa07d3"
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
