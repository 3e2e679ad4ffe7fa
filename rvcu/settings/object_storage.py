"""The STORAGES of RVCU_MEDIA_STORAGE=s3 (django-storages' S3 backend), apart so that the tests
build the same ones against their own S3 server."""


def s3_storages(
    *,
    media_bucket,
    private_bucket,
    endpoint_url=None,
    region=None,
    access_key=None,
    secret_key=None,
    media_domain=None,
    url_protocol="https:",
):
    common = {
        "endpoint_url": endpoint_url or None,
        "region_name": region or None,
        "access_key": access_key or None,
        "secret_key": secret_key or None,
        # Pictures get generated names but a PDF keeps the person's: never replace another file
        # (S3Storage would, by default).
        "file_overwrite": False,
        # Who may read is the bucket's policy, not an ACL per object (AWS disables ACLs).
        "default_acl": None,
    }
    return {
        "default": {
            "BACKEND": "rvcu.storage.S3MediaStorage",
            "OPTIONS": {
                **common,
                "bucket_name": media_bucket,
                # The host visitors get the files from: the bucket's own, or a CDN's before it.
                "custom_domain": media_domain or None,
                "url_protocol": url_protocol,
                # Stable addresses without a signature, which a CDN can cache.
                "querystring_auth": False,
                "object_parameters": {"CacheControl": "public, max-age=86400"},
            },
        },
        "private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **common,
                "bucket_name": private_bucket,
                # Never given out: staff read retired files through the portal (rvcu.media);
                # should an address be made anyway, it is signed and short-lived.
                "querystring_auth": True,
                "querystring_expire": 300,
            },
        },
    }
