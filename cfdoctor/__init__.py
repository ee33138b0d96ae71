"""cfdoctor: explains why Amazon CloudFront answered with an error."""

__version__ = "0.1.0"
