"""rvcu.images: uploads judged by their content; stored pictures re-encoded without metadata."""

import io
import warnings

import pytest
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageCms

from rvcu.images import RENDITIONS, ProcessedImage, process_image, validate_image_upload


def picture_bytes(image_format="PNG", size=(120, 80), mode="RGB", **save_options):
    """A real picture with varied pixels (noise), so that compression and cutting mean something."""
    image = Image.effect_noise(size, 64).convert(mode)
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **save_options)
    return buffer.getvalue()


def upload(content, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type)


def refusal(file):
    with pytest.raises(ValidationError) as caught:
        validate_image_upload(file)
    assert str(caught.value.messages[0]).strip()
    return caught.value.code


def opened(content_file):
    content_file.seek(0)
    image = Image.open(io.BytesIO(content_file.read()))
    image.load()
    return image


# validate_image_upload


@pytest.mark.parametrize(
    ("image_format", "name"), [("JPEG", "a.jpg"), ("PNG", "a.png"), ("WEBP", "a.webp")]
)
def test_validate_accepts_jpeg_png_webp_and_leaves_file_at_start(image_format, name):
    file = upload(picture_bytes(image_format), name=name)

    validate_image_upload(file)

    assert file.tell() == 0


def test_validate_refuses_text_named_like_a_photo():
    file = upload(b"Dear colleagues,\nhere is our photo.\n" * 20, name="photo.jpg")

    assert refusal(file) == "not_an_image"
    assert file.tell() == 0


@pytest.mark.parametrize("image_format", ["GIF", "BMP", "TIFF"])
def test_validate_refuses_other_image_types(image_format):
    file = upload(picture_bytes(image_format), name="photo.jpg")

    assert refusal(file) == "image_type"


def test_validate_refuses_file_over_byte_limit(settings):
    content = picture_bytes("PNG", size=(200, 200))
    settings.RVCU_MAX_IMAGE_BYTES = len(content) - 1

    assert refusal(upload(content, name="photo.png")) == "image_too_large"


def test_validate_accepts_file_exactly_at_byte_limit(settings):
    content = picture_bytes("PNG", size=(200, 200))
    settings.RVCU_MAX_IMAGE_BYTES = len(content)

    validate_image_upload(upload(content, name="photo.png"))


def test_validate_checks_size_before_content(settings):
    settings.RVCU_MAX_IMAGE_BYTES = 10

    assert refusal(upload(b"not an image at all", name="photo.jpg")) == "image_too_large"


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP"])
def test_validate_refuses_truncated_image(image_format):
    content = picture_bytes(image_format, size=(200, 150))
    file = upload(content[: len(content) // 2])

    assert refusal(file) == "image_damaged"
    assert file.tell() == 0


def test_validate_refuses_huge_dimensions_from_header(settings):
    """25 million pixels: below Pillow's own limit, above ours."""
    settings.RVCU_MAX_IMAGE_PIXELS = 1_000_000
    buffer = io.BytesIO()
    Image.new("1", (5_000, 5_000)).save(buffer, format="PNG")
    assert len(buffer.getvalue()) < 10_000  # a tiny file that declares 25 million pixels

    assert refusal(upload(buffer.getvalue(), name="bomb.png")) == "image_too_many_pixels"


def test_validate_refuses_image_beyond_pillow_own_bomb_limit():
    """400 million pixels: Pillow refuses to open it; that is reported as too many pixels."""
    buffer = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(buffer, format="PNG")

    assert refusal(upload(buffer.getvalue(), name="bomb.png")) == "image_too_many_pixels"


def test_validate_refuses_image_pillow_only_warns_about_even_if_warnings_are_ignored(settings):
    """100 million pixels: Pillow only warns; the warning is turned into a refusal."""
    settings.RVCU_MAX_IMAGE_PIXELS = 200_000_000
    buffer = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(buffer, format="PNG")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert refusal(upload(buffer.getvalue(), name="bomb.png")) == "image_too_many_pixels"


def test_validate_reads_a_django_file_on_disk(tmp_path):
    path = tmp_path / "upload"
    path.write_bytes(picture_bytes("WEBP"))

    with path.open("rb") as handle:
        file = File(handle, name="upload")
        validate_image_upload(file)
        assert file.tell() == 0

    path.write_bytes(b"GIF89a but not really")
    with path.open("rb") as handle:
        assert refusal(File(handle, name="upload")) == "not_an_image"


def test_validate_accepts_image_at_pixel_limit(settings):
    settings.RVCU_MAX_IMAGE_PIXELS = 120 * 80

    validate_image_upload(upload(picture_bytes("PNG", size=(120, 80)), name="a.png"))


# process_image


def test_process_returns_webp_master_and_renditions_sharing_a_name():
    processed = process_image(upload(picture_bytes("JPEG")))

    assert isinstance(processed, ProcessedImage)
    assert set(processed.renditions) == set(RENDITIONS) == {"card", "page"}
    stem = processed.master.name.removesuffix(".webp")
    assert len(stem) == 32
    assert processed.renditions["card"].name == f"{stem}-card.webp"
    assert processed.renditions["page"].name == f"{stem}-page.webp"
    for content_file in [processed.master, *processed.renditions.values()]:
        assert opened(content_file).format == "WEBP"


def test_process_gives_new_names_each_time():
    content = picture_bytes("PNG")

    first = process_image(upload(content, name="same.png"))
    second = process_image(upload(content, name="same.png"))

    assert first.master.name != second.master.name


def test_process_sizes_of_large_landscape_picture():
    processed = process_image(upload(picture_bytes("JPEG", size=(3000, 2000))))

    assert opened(processed.master).size == (2400, 1600)
    assert opened(processed.renditions["card"]).size == (640, 480)
    assert opened(processed.renditions["page"]).size == (1200, 800)
    assert (processed.width, processed.height) == (1200, 800)


def test_process_never_upscales_small_picture_except_card_crop():
    processed = process_image(upload(picture_bytes("PNG", size=(300, 200)), name="a.png"))

    assert opened(processed.master).size == (300, 200)
    assert opened(processed.renditions["page"]).size == (300, 200)
    assert (processed.width, processed.height) == (300, 200)
    assert opened(processed.renditions["card"]).size == (640, 480)


def test_process_applies_exif_orientation():
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # the camera was turned: show rotated 90 degrees
    content = picture_bytes("JPEG", size=(40, 20), exif=exif)
    assert Image.open(io.BytesIO(content)).size == (40, 20)

    processed = process_image(upload(content))

    assert opened(processed.master).size == (20, 40)
    assert (processed.width, processed.height) == (20, 40)


def test_process_strips_metadata():
    exif = Image.Exif()
    exif[ExifTags.Base.Artist] = "Jane Photographer"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (52.0, 31.0, 12.0)
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    content = picture_bytes("JPEG", exif=exif, icc_profile=icc, xmp=b"<x:xmpmeta/>")
    original = Image.open(io.BytesIO(content))
    assert original.getexif()[ExifTags.Base.Artist] == "Jane Photographer"
    assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert {"exif", "icc_profile", "xmp"} <= set(original.info)

    processed = process_image(upload(content))

    for content_file in [processed.master, *processed.renditions.values()]:
        image = opened(content_file)
        assert not image.getexif()
        assert not {"exif", "icc_profile", "xmp"} & set(image.info)
        content_file.seek(0)
        assert b"Jane Photographer" not in content_file.read()


def test_process_keeps_transparency():
    image = Image.new("RGBA", (100, 100), (255, 0, 0, 0))
    image.paste((0, 0, 255, 255), (25, 25, 75, 75))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")

    processed = process_image(upload(buffer.getvalue(), name="logo.png"))

    master = opened(processed.master)
    assert master.mode == "RGBA"
    assert master.getpixel((0, 0))[3] == 0
    assert master.getpixel((50, 50))[3] == 255
    assert opened(processed.renditions["page"]).mode == "RGBA"


def test_process_converts_palette_and_greyscale_to_rgb():
    for mode in ("P", "L"):
        processed = process_image(upload(picture_bytes("PNG", mode=mode), name="a.png"))

        assert opened(processed.master).mode == "RGB"
