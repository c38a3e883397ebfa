/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Photos for the PDF. A JPEG is never decoded: its header gives the size,
 * and its bytes ride on a 1 × 1 image surface as CAIRO_MIME_TYPE_JPEG, which
 * cairo-pdf embeds as is (DCTDecode). The surface is scaled up to the JPEG's
 * pixel size when drawn, so memory stays tiny whatever the photo's size.
 * CAIRO_MIME_TYPE_UNIQUE_ID, from the file's identity or the bytes' hash,
 * makes a photo used twice stored once. PNG files are decoded by cairo.
 *
 * A JPEG is checked before it is passed on: markers well formed up to the
 * first scan, an 8-bit frame with a known size, and an end-of-image marker
 * after the scan (a truncated download lacks it). Anything else becomes a
 * CO_PRINT_ERROR_PHOTO_* error, and the caller prints a placeholder.
 */
#define G_LOG_DOMAIN "co-print"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "co-print-private.h"

/* Larger files are refused: no student photo is that big. */
#define MAX_PHOTO_BYTES (32 * 1024 * 1024)

struct _CoPhoto
{
  cairo_surface_t *surface;
  int              width;        /* stored pixels */
  int              height;
  int              orientation;  /* EXIF, 1 to 8 */
  gboolean         unit;         /* the surface is 1 × 1, scaled to width × height */
};

static guint
read_u16 (const guint8 *p,
          gboolean      big_endian)
{
  return big_endian ? (p[0] << 8) | p[1] : (p[1] << 8) | p[0];
}

static guint32
read_u32 (const guint8 *p,
          gboolean      big_endian)
{
  return big_endian
    ? ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3]
    : ((guint32) p[3] << 24) | ((guint32) p[2] << 16) | ((guint32) p[1] << 8) | p[0];
}

/* The EXIF orientation tag of an APP1 segment's payload, or 1. */
static int
exif_orientation (const guint8 *p,
                  gsize         length)
{
  gboolean big;
  guint32 ifd;
  guint n;

  if (length < 14 || memcmp (p, "Exif\0\0", 6) != 0)
    return 1;
  p += 6;
  length -= 6;
  if (memcmp (p, "MM\0*", 4) == 0)
    big = TRUE;
  else if (memcmp (p, "II*\0", 4) == 0)
    big = FALSE;
  else
    return 1;
  ifd = read_u32 (p + 4, big);
  if (ifd > length - 2)
    return 1;
  n = read_u16 (p + ifd, big);
  for (guint i = 0; i < n; i++)
    {
      gsize entry = ifd + 2 + (gsize) i * 12;

      if (entry + 12 > length)
        break;
      if (read_u16 (p + entry, big) == 0x0112)
        {
          guint value = read_u16 (p + entry + 8, big);
          return value >= 1 && value <= 8 ? (int) value : 1;
        }
    }
  return 1;
}

static gboolean
is_sof (guint marker)
{
  /* SOF0..SOF15 but DHT (C4), JPG (C8) and DAC (CC). */
  return marker >= 0xc0 && marker <= 0xcf &&
         marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
}

gboolean
_co_jpeg_parse_header (const guint8 *data,
                       gsize         length,
                       int          *width,
                       int          *height,
                       int          *components,
                       int          *orientation,
                       GError      **error)
{
  gsize pos = 2;
  gsize scan = 0;
  int w = 0, h = 0, nc = 0, precision = 0;
  int orient = 1;

  if (length < 4 || data[0] != 0xff || data[1] != 0xd8)
    {
      g_set_error (error, CO_PRINT_ERROR, CO_PRINT_ERROR_PHOTO_UNSUPPORTED, "Not a JPEG file");
      return FALSE;
    }

  while (scan == 0)
    {
      guint marker, seglen;

      if (pos + 2 > length || data[pos] != 0xff)
        goto corrupt;
      while (pos + 1 < length && data[pos + 1] == 0xff)
        pos++;   /* fill bytes */
      if (pos + 2 > length)
        goto corrupt;
      marker = data[pos + 1];
      if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7))
        {
          pos += 2;
          continue;
        }
      if (marker == 0xd9 || marker == 0xd8 || marker == 0x00)
        goto corrupt;
      if (pos + 4 > length)
        goto corrupt;
      seglen = read_u16 (data + pos + 2, TRUE);
      if (seglen < 2 || pos + 2 + seglen > length)
        goto corrupt;

      if (is_sof (marker))
        {
          if (seglen < 8)
            goto corrupt;
          precision = data[pos + 4];
          h = (int) read_u16 (data + pos + 5, TRUE);
          w = (int) read_u16 (data + pos + 7, TRUE);
          nc = data[pos + 9];
          /* Arithmetic coding (C9..CF) and lossless (C3) are beyond PDF's DCTDecode. */
          if (marker == 0xc3 || marker >= 0xc9)
            {
              g_set_error (error, CO_PRINT_ERROR, CO_PRINT_ERROR_PHOTO_UNSUPPORTED,
                           "JPEG coding process SOF%u is not supported", marker - 0xc0);
              return FALSE;
            }
        }
      else if (marker == 0xe1 && orient == 1)
        orient = exif_orientation (data + pos + 4, seglen - 2);
      else if (marker == 0xda)
        scan = pos + 2 + seglen;

      pos += 2 + seglen;
    }

  if (w <= 0 || h <= 0 || precision != 8 || (nc != 1 && nc != 3 && nc != 4))
    {
      g_set_error (error, CO_PRINT_ERROR, CO_PRINT_ERROR_PHOTO_UNSUPPORTED,
                   "JPEG frame not supported (%d × %d, %d components, %d bits)",
                   w, h, nc, precision);
      return FALSE;
    }

  /* The image must end: an end-of-image marker after the first scan
   * (trailing bytes some cameras add after it are allowed). */
  for (gsize i = length - 1; i > scan; i--)
    if (data[i] == 0xd9 && data[i - 1] == 0xff)
      {
        *width = w;
        *height = h;
        *components = nc;
        *orientation = orient;
        return TRUE;
      }

corrupt:
  g_set_error (error, CO_PRINT_ERROR, CO_PRINT_ERROR_PHOTO_CORRUPT,
               "The JPEG data is truncated or damaged");
  return FALSE;
}

typedef struct
{
  const guint8 *data;
  gsize         length;
  gsize         pos;
} PngReader;

static cairo_status_t
png_read_cb (void          *closure,
             unsigned char *data,
             unsigned int   length)
{
  PngReader *reader = closure;

  if (reader->length - reader->pos < length)
    return CAIRO_STATUS_READ_ERROR;
  memcpy (data, reader->data + reader->pos, length);
  reader->pos += length;
  return CAIRO_STATUS_SUCCESS;
}

static void
set_unique_id (cairo_surface_t *surface,
               const char      *id)
{
  char *copy = g_strdup (id);

  cairo_surface_set_mime_data (surface, CAIRO_MIME_TYPE_UNIQUE_ID,
                               (const unsigned char *) copy, strlen (copy), g_free, copy);
}

/* Takes @bytes; @unique_id names the content. */
static CoPhoto *
photo_new (GBytes     *bytes,
           const char *unique_id,
           GError    **error)
{
  g_autoptr(CoPhoto) photo = g_new0 (CoPhoto, 1);
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);
  static const guint8 png_magic[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

  if (length == 0)
    {
      g_set_error (error, CO_PRINT_ERROR, CO_PRINT_ERROR_PHOTO_CORRUPT, "The photo file is empty");
      g_bytes_unref (bytes);
      return NULL;
    }

  if (length >= 2 && data[0] == 0xff && data[1] == 0xd8)
    {
      int components;

      if (!_co_jpeg_parse_header (data, length, &photo->width, &photo->height,
                                  &components, &photo->orientation, error))
        {
          g_bytes_unref (bytes);
          return NULL;
        }
      photo->unit = TRUE;
      photo->surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 1, 1);
      cairo_surface_set_mime_data (photo->surface, CAIRO_MIME_TYPE_JPEG, data, length,
                                   (cairo_destroy_func_t) g_bytes_unref, bytes);
    }
  else if (length >= sizeof png_magic && memcmp (data, png_magic, sizeof png_magic) == 0)
    {
      PngReader reader = { data, length, 0 };

      photo->orientation = 1;
      photo->surface = cairo_image_surface_create_from_png_stream (png_read_cb, &reader);
      g_bytes_unref (bytes);
      if (cairo_surface_status (photo->surface) != CAIRO_STATUS_SUCCESS)
        {
          g_set_error (error, CO_PRINT_ERROR, CO_PRINT_ERROR_PHOTO_CORRUPT,
                       "The PNG data is damaged: %s",
                       cairo_status_to_string (cairo_surface_status (photo->surface)));
          return NULL;
        }
      photo->width = cairo_image_surface_get_width (photo->surface);
      photo->height = cairo_image_surface_get_height (photo->surface);
    }
  else
    {
      g_set_error (error, CO_PRINT_ERROR, CO_PRINT_ERROR_PHOTO_UNSUPPORTED,
                   "The photo is neither JPEG nor PNG");
      g_bytes_unref (bytes);
      return NULL;
    }

  set_unique_id (photo->surface, unique_id);
  return g_steal_pointer (&photo);
}

/**
 * _co_photo_load_file:
 * @path: a JPEG or PNG file
 * @error: a %CO_PRINT_ERROR_PHOTO_MISSING, _UNREADABLE, _CORRUPT or
 *   _UNSUPPORTED error
 *
 * Returns: (transfer full) (nullable): the photo
 */
CoPhoto *
_co_photo_load_file (const char  *path,
                     GError     **error)
{
  g_autofree guint8 *data = NULL;
  g_autofree char *unique_id = NULL;
  struct stat st;
  gsize done = 0;
  int fd;

  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, CO_PRINT_ERROR,
                   saved == ENOENT || saved == ENOTDIR ? CO_PRINT_ERROR_PHOTO_MISSING
                                                       : CO_PRINT_ERROR_PHOTO_UNREADABLE,
                   "%s: %s", path, g_strerror (saved));
      return NULL;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode) || st.st_size > MAX_PHOTO_BYTES)
    {
      g_set_error (error, CO_PRINT_ERROR, CO_PRINT_ERROR_PHOTO_UNREADABLE,
                   "%s: not a regular file of at most %d MB", path, MAX_PHOTO_BYTES >> 20);
      close (fd);
      return NULL;
    }

  data = g_malloc (MAX (st.st_size, 1));
  while (done < (gsize) st.st_size)
    {
      ssize_t n = read (fd, data + done, st.st_size - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      done += n;
    }
  close (fd);
  if (done != (gsize) st.st_size)
    {
      g_set_error (error, CO_PRINT_ERROR, CO_PRINT_ERROR_PHOTO_UNREADABLE,
                   "%s: read error", path);
      return NULL;
    }

  /* The same file, unchanged, is the same image: cairo stores it once. */
  unique_id = g_strdup_printf ("co-photo:%" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT ":%"
                               G_GINT64_FORMAT ":%" G_GINT64_FORMAT ".%09ld:%s",
                               (guint64) st.st_dev, (guint64) st.st_ino,
                               (gint64) st.st_size, (gint64) st.st_mtim.tv_sec,
                               (long) st.st_mtim.tv_nsec, path);
  return photo_new (g_bytes_new_take (g_steal_pointer (&data), done), unique_id, error);
}

/**
 * _co_photo_load_bytes:
 * @bytes: a JPEG or PNG image
 * @error: a %CO_PRINT_ERROR_PHOTO_CORRUPT or _UNSUPPORTED error
 *
 * Returns: (transfer full) (nullable): the photo
 */
CoPhoto *
_co_photo_load_bytes (GBytes  *bytes,
                      GError **error)
{
  g_autofree char *hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA1, bytes);
  g_autofree char *unique_id = g_strconcat ("co-photo-sha1:", hash, NULL);

  return photo_new (g_bytes_ref (bytes), unique_id, error);
}

/* The photo's size as seen, after its EXIF orientation. */
void
_co_photo_get_size (CoPhoto *photo,
                    double  *width,
                    double  *height)
{
  gboolean swap = photo->orientation >= 5;

  *width = swap ? photo->height : photo->width;
  *height = swap ? photo->width : photo->height;
}

/* Fills @box with the photo, cropped to the box's proportions around the
 * centre (ID photos are nearly 3:4 already). */
void
_co_photo_draw (cairo_t        *cr,
                CoPhoto        *photo,
                const CoRectMm *box,
                double          corner_radius)
{
  double w = photo->width, h = photo->height;
  double shown_w, shown_h, scale;
  cairo_matrix_t orient;
  cairo_pattern_t *pattern;

  _co_photo_get_size (photo, &shown_w, &shown_h);
  scale = MAX (box->width / shown_w, box->height / shown_h);

  /* Stored pixels to shown pixels, per EXIF orientation. */
  switch (photo->orientation)
    {
    case 2: cairo_matrix_init (&orient, -1, 0, 0, 1, w, 0); break;
    case 3: cairo_matrix_init (&orient, -1, 0, 0, -1, w, h); break;
    case 4: cairo_matrix_init (&orient, 1, 0, 0, -1, 0, h); break;
    case 5: cairo_matrix_init (&orient, 0, 1, 1, 0, 0, 0); break;
    case 6: cairo_matrix_init (&orient, 0, 1, -1, 0, h, 0); break;
    case 7: cairo_matrix_init (&orient, 0, -1, -1, 0, h, w); break;
    case 8: cairo_matrix_init (&orient, 0, -1, 1, 0, 0, w); break;
    default: cairo_matrix_init_identity (&orient); break;
    }

  cairo_save (cr);
  _co_rounded_rectangle (cr, box, corner_radius);
  cairo_clip (cr);
  cairo_translate (cr,
                   box->x + (box->width - shown_w * scale) / 2,
                   box->y + (box->height - shown_h * scale) / 2);
  cairo_scale (cr, scale, scale);
  cairo_transform (cr, &orient);
  if (photo->unit)
    cairo_scale (cr, w, h);

  pattern = cairo_pattern_create_for_surface (photo->surface);
  cairo_pattern_set_filter (pattern, CAIRO_FILTER_GOOD);
  cairo_set_source (cr, pattern);
  cairo_paint (cr);
  cairo_pattern_destroy (pattern);
  cairo_restore (cr);
}

void
_co_photo_free (CoPhoto *photo)
{
  if (photo == NULL)
    return;
  g_clear_pointer (&photo->surface, cairo_surface_destroy);
  g_free (photo);
}
