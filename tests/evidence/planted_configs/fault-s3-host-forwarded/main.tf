resource "aws_cloudfront_distribution" "site" {
  enabled = true
  aliases = ["www.example.com"]
  default_root_object = "index.html"
  origin {
    domain_name = aws_s3_bucket.site.bucket_regional_domain_name
    origin_id = "site"
    origin_access_control_id = "E2OACEXAMPLE1"
  }
  default_cache_behavior {
    target_origin_id = "site"
    allowed_methods = ["GET", "HEAD"]
    cached_methods = ["GET", "HEAD"]
    viewer_protocol_policy = "redirect-to-https"
    forwarded_values {
      query_string = false
      headers = ["Host"]
      cookies {
        forward = "none"
      }
    }
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
resource "aws_s3_bucket" "site" {
  bucket = "site-assets"
}
