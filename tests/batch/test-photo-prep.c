/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * CoPhotoPrep: photos made here (PNG with alpha, JPEG, JPEG with an EXIF
 * orientation, landscape, tiny, truncated, not an image), checked, cropped
 * and scaled to the card's 390 × 480 JPEG, read back and looked at.
 */
#define G_LOG_DOMAIN "test-photo-prep"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "co-photo-prep.h"

static char *tmpdir;

/* A photo whose left part (x < split) is @left and the rest @right. */
static GdkPixbuf *
make_pixbuf (int      width,
             int      height,
             gboolean alpha,
             int      split,
             guint32  left,
             guint32  right)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, alpha, 8, width, height);
  int n = gdk_pixbuf_get_n_channels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint32 c = x < split ? left : right;
        guint8 *p = pixels + y * stride + x * n;

        p[0] = (c >> 16) & 0xff;
        p[1] = (c >> 8) & 0xff;
        p[2] = c & 0xff;
        if (alpha)
          p[3] = 0xff;
      }
  return pixbuf;
}

static char *
save (GdkPixbuf  *pixbuf,
      const char *type,
      const char *name)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (tmpdir, name, NULL);

  gdk_pixbuf_save (pixbuf, path, type, &error, NULL);
  g_assert_no_error (error);
  return path;
}

static char *
write_bytes (const char *name,
             const void *data,
             gsize       length)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (tmpdir, name, NULL);

  g_file_set_contents (path, data, length, &error);
  g_assert_no_error (error);
  return path;
}

/* A JPEG with an APP1 Exif segment carrying @orientation. */
static char *
save_jpeg_oriented (GdkPixbuf  *pixbuf,
                    int         orientation,
                    const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *jpeg = NULL;
  gsize length;
  static const guint8 app1_head[] = {
    0xff, 0xe1, 0x00, 0x22,             /* APP1, length 34 */
    'E', 'x', 'i', 'f', 0, 0,
    'I', 'I', 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00,   /* TIFF, IFD at 8 */
    0x01, 0x00,                         /* 1 entry */
    0x12, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, /* Orientation, SHORT, 1 */
  };
  GByteArray *out = g_byte_array_new ();
  guint8 value[] = { (guint8) orientation, 0, 0, 0, 0, 0, 0, 0 }; /* value, next IFD 0 */
  char *path;

  gdk_pixbuf_save_to_buffer (pixbuf, &jpeg, &length, "jpeg", &error, "quality", "95", NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 2);

  g_byte_array_append (out, (const guint8 *) jpeg, 2);
  g_byte_array_append (out, app1_head, sizeof app1_head);
  g_byte_array_append (out, value, sizeof value);
  g_assert_cmpuint (out->len, ==, 2 + 2 + 0x22);
  g_byte_array_append (out, (const guint8 *) jpeg + 2, length - 2);

  path = write_bytes (name, out->data, out->len);
  g_byte_array_unref (out);
  return path;
}

static GdkPixbuf *
decode (GBytes *jpeg)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_type ("jpeg", NULL);
  g_autoptr(GError) error = NULL;
  gsize length;
  const guint8 *data = g_bytes_get_data (jpeg, &length);

  g_assert_cmpuint (length, >, 4);
  g_assert_cmphex (data[0], ==, 0xff);
  g_assert_cmphex (data[1], ==, 0xd8);
  g_assert_cmpuint (length, <=, CO_PHOTO_PREP_MAX_BYTES);
  gdk_pixbuf_loader_write (loader, data, length, &error);
  g_assert_no_error (error);
  gdk_pixbuf_loader_close (loader, &error);
  g_assert_no_error (error);
  return g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
}

/* Dominant channel at (x, y): 0 red, 1 green, 2 blue. */
static int
dominant (GdkPixbuf *pixbuf,
          int        x,
          int        y)
{
  const guint8 *p = gdk_pixbuf_read_pixels (pixbuf) + y * gdk_pixbuf_get_rowstride (pixbuf) +
                    x * gdk_pixbuf_get_n_channels (pixbuf);

  if (p[0] > 160 && p[1] < 90 && p[2] < 90)
    return 0;
  if (p[1] > 120 && p[0] < 90 && p[2] < 90)
    return 1;
  if (p[2] > 160 && p[0] < 90 && p[1] < 90)
    return 2;
  return -1;
}

static void
test_png_alpha (void)
{
  g_autoptr(GdkPixbuf) pixbuf = make_pixbuf (520, 640, TRUE, 0, 0, 0x0000ff);
  g_autofree char *path = save (pixbuf, "png", "alpha.png");
  g_autoptr(GError) error = NULL;
  g_autoptr(CoPhotoPrep) prep = co_photo_prep_new_from_file (path, &error);
  g_autoptr(GBytes) jpeg = NULL;
  g_autoptr(GdkPixbuf) out = NULL;
  CoPhotoCrop crop;

  g_assert_no_error (error);
  g_assert_cmpint (co_photo_prep_get_width (prep), ==, 520);
  g_assert_cmpint (co_photo_prep_get_height (prep), ==, 640);
  g_assert_cmpint (co_photo_prep_check (prep, 0, 0), ==, CO_IMPORT_PHOTO_OK);
  co_photo_prep_get_default_crop (prep, &crop);
  g_assert_cmpint (crop.x, ==, 0);
  g_assert_cmpint (crop.y, ==, 0);
  g_assert_cmpint (crop.width, ==, 520);
  g_assert_cmpint (crop.height, ==, 640);

  jpeg = co_photo_prep_to_jpeg (prep, NULL, &error);
  g_assert_no_error (error);
  out = decode (jpeg);
  g_assert_cmpint (gdk_pixbuf_get_width (out), ==, CO_PHOTO_PREP_WIDTH);
  g_assert_cmpint (gdk_pixbuf_get_height (out), ==, CO_PHOTO_PREP_HEIGHT);
  g_assert_false (gdk_pixbuf_get_has_alpha (out));
  g_assert_cmpint (dominant (out, 195, 240), ==, 2);
}

static void
test_jpeg_min_size (void)
{
  g_autoptr(GdkPixbuf) pixbuf = make_pixbuf (260, 320, FALSE, 0, 0, 0x00c000);
  g_autofree char *path = save (pixbuf, "jpeg", "min.jpg");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) jpeg = co_photo_prep_file_to_jpeg (path, &error);
  g_autoptr(GdkPixbuf) out = NULL;

  g_assert_no_error (error);
  out = decode (jpeg);
  g_assert_cmpint (gdk_pixbuf_get_width (out), ==, 390);
  g_assert_cmpint (gdk_pixbuf_get_height (out), ==, 480);
  g_assert_cmpint (dominant (out, 10, 10), ==, 1);
}

static void
test_exif_rotated (void)
{
  /* Stored landscape, left red, right blue; orientation 6 turns it a
   * quarter clockwise: upright it is portrait, red on top. */
  g_autoptr(GdkPixbuf) pixbuf = make_pixbuf (640, 520, FALSE, 320, 0xff0000, 0x0000ff);
  g_autofree char *path = save_jpeg_oriented (pixbuf, 6, "rotated.jpg");
  g_autoptr(GError) error = NULL;
  g_autoptr(CoPhotoPrep) prep = co_photo_prep_new_from_file (path, &error);
  g_autoptr(GBytes) jpeg = NULL;
  g_autoptr(GdkPixbuf) out = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (co_photo_prep_get_width (prep), ==, 520);
  g_assert_cmpint (co_photo_prep_get_height (prep), ==, 640);
  g_assert_cmpint (co_photo_prep_check (prep, 0, 0), ==, CO_IMPORT_PHOTO_OK);

  jpeg = co_photo_prep_to_jpeg (prep, NULL, &error);
  g_assert_no_error (error);
  out = decode (jpeg);
  g_assert_cmpint (dominant (out, 195, 40), ==, 0);
  g_assert_cmpint (dominant (out, 195, 440), ==, 2);
}

static void
test_landscape (void)
{
  /* 640 × 480: the centred 13:16 crop is 390 wide at x 125. Green only
   * inside it: red margins must not show. */
  g_autoptr(GdkPixbuf) pixbuf = make_pixbuf (640, 480, FALSE, 0, 0, 0x00c000);
  g_autoptr(GError) error = NULL;
  g_autoptr(CoPhotoPrep) prep = NULL;
  g_autoptr(GBytes) jpeg = NULL;
  g_autoptr(GdkPixbuf) out = NULL;
  g_autofree char *path = NULL;
  CoPhotoCrop crop;

  gdk_pixbuf_fill (pixbuf, 0xff0000ff);
  {
    g_autoptr(GdkPixbuf) inner = gdk_pixbuf_new_subpixbuf (pixbuf, 125, 0, 390, 480);
    gdk_pixbuf_fill (inner, 0x00c000ff);
  }
  path = save (pixbuf, "png", "wide.png");

  prep = co_photo_prep_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (co_photo_prep_check (prep, 0, 0), ==, CO_IMPORT_PHOTO_ASPECT);
  co_photo_prep_get_default_crop (prep, &crop);
  g_assert_cmpint (crop.x, ==, 125);
  g_assert_cmpint (crop.y, ==, 0);
  g_assert_cmpint (crop.width, ==, 390);
  g_assert_cmpint (crop.height, ==, 480);

  /* The app may still cut it: the default crop, explicitly. */
  jpeg = co_photo_prep_to_jpeg (prep, NULL, &error);
  g_assert_no_error (error);
  out = decode (jpeg);
  g_assert_cmpint (dominant (out, 2, 240), ==, 1);
  g_assert_cmpint (dominant (out, 387, 240), ==, 1);

  /* The batch's one-shot refuses it. */
  g_clear_pointer (&jpeg, g_bytes_unref);
  jpeg = co_photo_prep_file_to_jpeg (path, &error);
  g_assert_error (error, CO_PHOTO_PREP_ERROR, CO_IMPORT_PHOTO_ASPECT);
  g_assert_null (jpeg);
}

static void
test_explicit_crop (void)
{
  /* Left 200 px red, rest green: a crop of the left part is all red. */
  g_autoptr(GdkPixbuf) pixbuf = make_pixbuf (1040, 1280, FALSE, 200, 0xff0000, 0x00c000);
  g_autofree char *path = save (pixbuf, "jpeg", "big.jpg");
  g_autoptr(GError) error = NULL;
  g_autoptr(CoPhotoPrep) prep = co_photo_prep_new_from_file (path, &error);
  g_autoptr(GBytes) jpeg = NULL;
  g_autoptr(GdkPixbuf) out = NULL;
  CoPhotoCrop crop = { 10, 100, 130, 160 };
  CoPhotoCrop bad = { 1000, 0, 130, 160 };
  CoPhotoCrop loose = { -50, 1200, 100, 300 };

  g_assert_no_error (error);
  jpeg = co_photo_prep_to_jpeg (prep, &crop, &error);
  g_assert_no_error (error);
  out = decode (jpeg);
  g_assert_cmpint (dominant (out, 5, 5), ==, 0);
  g_assert_cmpint (dominant (out, 384, 474), ==, 0);
  g_clear_pointer (&jpeg, g_bytes_unref);

  jpeg = co_photo_prep_to_jpeg (prep, &bad, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_null (jpeg);
  g_clear_error (&error);

  /* A free drag is brought back inside, at 13:16. */
  co_photo_prep_fit_crop (prep, &loose);
  g_assert_cmpint (loose.x, >=, 0);
  g_assert_cmpint (loose.y, >=, 0);
  g_assert_cmpint (loose.x + loose.width, <=, 1040);
  g_assert_cmpint (loose.y + loose.height, <=, 1280);
  g_assert_cmpint (loose.height, ==, 300);
  g_assert_cmpint (ABS (loose.width * 16 - loose.height * 13), <=, 16);
  jpeg = co_photo_prep_to_jpeg (prep, &loose, &error);
  g_assert_no_error (error);
}

static void
test_tiny (void)
{
  g_autoptr(GdkPixbuf) pixbuf = make_pixbuf (130, 160, FALSE, 0, 0, 0x00c000);
  g_autofree char *path = save (pixbuf, "png", "tiny.png");
  g_autoptr(GError) error = NULL;
  g_autoptr(CoPhotoPrep) prep = co_photo_prep_new_from_file (path, &error);
  g_autoptr(GBytes) jpeg = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (co_photo_prep_check (prep, 0, 0), ==, CO_IMPORT_PHOTO_TOO_SMALL);
  g_assert_cmpint (co_photo_prep_check (prep, 100, 100), ==, CO_IMPORT_PHOTO_OK);
  jpeg = co_photo_prep_file_to_jpeg (path, &error);
  g_assert_error (error, CO_PHOTO_PREP_ERROR, CO_IMPORT_PHOTO_TOO_SMALL);
  g_assert_null (jpeg);
}

static void
test_truncated (void)
{
  g_autoptr(GdkPixbuf) pixbuf = make_pixbuf (260, 320, FALSE, 100, 0xff0000, 0x00c000);
  const char *types[] = { "jpeg", "png" };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *data = NULL;
      g_autofree char *name = g_strdup_printf ("cut.%s", types[i]);
      g_autofree char *path = NULL;
      g_autoptr(CoPhotoPrep) prep = NULL;
      gsize length;

      gdk_pixbuf_save_to_buffer (pixbuf, &data, &length, types[i], &error, NULL);
      g_assert_no_error (error);
      path = write_bytes (name, data, length * 2 / 3);
      prep = co_photo_prep_new_from_file (path, &error);
      g_assert_error (error, CO_PHOTO_PREP_ERROR, CO_IMPORT_PHOTO_CORRUPT);
      g_assert_null (prep);
    }
}

static void
test_not_an_image (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_bytes ("photo.jpg", "教育ID,姓名\r\n", strlen ("教育ID,姓名\r\n"));
  g_autofree char *missing = g_build_filename (tmpdir, "missing.jpg", NULL);
  g_autoptr(CoPhotoPrep) prep = co_photo_prep_new_from_file (path, &error);

  g_assert_error (error, CO_PHOTO_PREP_ERROR, CO_IMPORT_PHOTO_NOT_JPEG_OR_PNG);
  g_assert_null (prep);
  g_clear_error (&error);

  prep = co_photo_prep_new_from_file (missing, &error);
  g_assert_error (error, CO_PHOTO_PREP_ERROR, CO_IMPORT_PHOTO_UNREADABLE);
  g_assert_null (prep);
}

static void
on_loaded_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  CoPhotoPrep **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = co_photo_prep_new_from_file_finish (result, &error);
  g_assert_no_error (error);
}

static void
test_async (void)
{
  g_autoptr(GdkPixbuf) pixbuf = make_pixbuf (260, 320, FALSE, 0, 0, 0x00c000);
  g_autofree char *path = save (pixbuf, "jpeg", "async.jpg");
  CoPhotoPrep *prep = NULL;

  co_photo_prep_new_from_file_async (path, NULL, on_loaded_cb, &prep);
  while (prep == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (co_photo_prep_get_width (prep), ==, 260);
  g_assert_nonnull (co_photo_prep_get_pixbuf (prep));
  g_object_unref (prep);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  tmpdir = g_dir_make_tmp ("test-photo-prep-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/batch/photo-prep/png-alpha", test_png_alpha);
  g_test_add_func ("/batch/photo-prep/jpeg-min-size", test_jpeg_min_size);
  g_test_add_func ("/batch/photo-prep/exif-rotated", test_exif_rotated);
  g_test_add_func ("/batch/photo-prep/landscape", test_landscape);
  g_test_add_func ("/batch/photo-prep/explicit-crop", test_explicit_crop);
  g_test_add_func ("/batch/photo-prep/tiny", test_tiny);
  g_test_add_func ("/batch/photo-prep/truncated", test_truncated);
  g_test_add_func ("/batch/photo-prep/not-an-image", test_not_an_image);
  g_test_add_func ("/batch/photo-prep/async", test_async);

  ret = g_test_run ();

  {
    g_autoptr(GDir) dir = g_dir_open (tmpdir, 0, NULL);
    const char *name;

    while (dir && (name = g_dir_read_name (dir)))
      {
        g_autofree char *p = g_build_filename (tmpdir, name, NULL);
        g_unlink (p);
      }
    g_rmdir (tmpdir);
  }
  g_free (tmpdir);
  return ret;
}
