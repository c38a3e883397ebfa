/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * A PDF written as it is drawn: each page goes to the file when it is
 * shown, so a batch of thousands of stickers never holds more than a page.
 * The file appears under its name only once complete.
 */
#define G_LOG_DOMAIN "co-print"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <cairo-pdf.h>

#include "co-print-private.h"

struct _CoPdfOutput
{
  char            *path;
  char            *tmp_path;
  FILE            *file;
  cairo_surface_t *surface;
  cairo_t         *cr;
  int              write_errno;
  guint            n_pages;
  gboolean         in_page;
  gboolean         done;
};

static cairo_status_t
write_cb (void                *closure,
          const unsigned char *data,
          unsigned int         length)
{
  CoPdfOutput *out = closure;

  if (out->file == NULL || out->write_errno != 0)
    return CAIRO_STATUS_WRITE_ERROR;
  if (fwrite (data, 1, length, out->file) != length)
    {
      out->write_errno = errno ? errno : EIO;
      return CAIRO_STATUS_WRITE_ERROR;
    }
  return CAIRO_STATUS_SUCCESS;
}

static gboolean
check_status (CoPdfOutput *out,
              GError     **error)
{
  cairo_status_t status = cairo_surface_status (out->surface);

  if (status == CAIRO_STATUS_SUCCESS && out->cr != NULL)
    status = cairo_status (out->cr);
  if (out->write_errno != 0)
    {
      g_set_error (error, CO_PRINT_ERROR, CO_PRINT_ERROR_OUTPUT,
                   "Cannot write “%s”: %s", out->path, g_strerror (out->write_errno));
      return FALSE;
    }
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, CO_PRINT_ERROR, CO_PRINT_ERROR_OUTPUT,
                   "Cannot write “%s”: %s", out->path, cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

CoPdfOutput *
_co_pdf_output_new (const char  *path,
                    double       width_mm,
                    double       height_mm,
                    GError     **error)
{
  g_autoptr(CoPdfOutput) out = g_new0 (CoPdfOutput, 1);
  int fd;

  g_assert (path != NULL);

  out->path = g_strdup (path);
  out->tmp_path = g_strconcat (path, ".XXXXXX", NULL);
  fd = g_mkstemp_full (out->tmp_path, O_RDWR | O_CLOEXEC, 0666);
  if (fd < 0)
    {
      int saved = errno;

      g_clear_pointer (&out->tmp_path, g_free);
      g_set_error (error, CO_PRINT_ERROR, CO_PRINT_ERROR_OUTPUT,
                   "Cannot create “%s”: %s", path, g_strerror (saved));
      return NULL;
    }
  /* mkstemp makes the file private; a PDF for printing should not be. */
  {
    mode_t mask = umask (0);
    umask (mask);
    if (fchmod (fd, 0666 & ~mask) != 0)
      g_debug ("fchmod: %s", g_strerror (errno));
  }
  out->file = fdopen (fd, "wb");
  if (out->file == NULL)
    {
      close (fd);
      g_set_error (error, CO_PRINT_ERROR, CO_PRINT_ERROR_OUTPUT,
                   "Cannot create “%s”: %s", path, g_strerror (errno));
      return NULL;
    }
  setvbuf (out->file, NULL, _IOFBF, 256 * 1024);

  out->surface = cairo_pdf_surface_create_for_stream (write_cb, out,
                                                      width_mm * CO_PT_PER_MM,
                                                      height_mm * CO_PT_PER_MM);
  cairo_pdf_surface_set_metadata (out->surface, CAIRO_PDF_METADATA_CREATOR, PACKAGE_NAME);
  out->cr = cairo_create (out->surface);
  if (!check_status (out, error))
    return NULL;
  return g_steal_pointer (&out);
}

/* The context, in millimetres from the page's top left corner, moved by the
 * printer offset: the only place the offset is applied. */
cairo_t *
_co_pdf_output_begin_page (CoPdfOutput          *out,
                           const CoPrintOptions *options)
{
  g_assert (out != NULL);
  g_assert (!out->in_page);

  out->in_page = TRUE;
  cairo_save (out->cr);
  cairo_scale (out->cr, CO_PT_PER_MM, CO_PT_PER_MM);
  if (options != NULL)
    cairo_translate (out->cr, options->offset_x_mm, options->offset_y_mm);
  return out->cr;
}

gboolean
_co_pdf_output_end_page (CoPdfOutput *out,
                         GError     **error)
{
  g_assert (out != NULL);
  g_assert (out->in_page);

  cairo_restore (out->cr);
  cairo_show_page (out->cr);
  out->in_page = FALSE;
  out->n_pages++;
  return check_status (out, error);
}

guint
_co_pdf_output_get_n_pages (CoPdfOutput *out)
{
  return out->n_pages;
}

gboolean
_co_pdf_output_finish (CoPdfOutput *out,
                       GError     **error)
{
  g_assert (out != NULL);
  g_assert (!out->in_page);

  g_clear_pointer (&out->cr, cairo_destroy);
  cairo_surface_finish (out->surface);
  if (!check_status (out, error))
    return FALSE;
  if (fclose (g_steal_pointer (&out->file)) != 0)
    {
      g_set_error (error, CO_PRINT_ERROR, CO_PRINT_ERROR_OUTPUT,
                   "Cannot write “%s”: %s", out->path, g_strerror (errno));
      return FALSE;
    }
  if (g_rename (out->tmp_path, out->path) != 0)
    {
      g_set_error (error, CO_PRINT_ERROR, CO_PRINT_ERROR_OUTPUT,
                   "Cannot write “%s”: %s", out->path, g_strerror (errno));
      return FALSE;
    }
  out->done = TRUE;
  return TRUE;
}

/* Without a successful finish, nothing is left behind. */
void
_co_pdf_output_free (CoPdfOutput *out)
{
  if (out == NULL)
    return;
  /* Stop writing: destroying an unfinished surface finishes it. */
  out->write_errno = out->write_errno ? out->write_errno : ECANCELED;
  g_clear_pointer (&out->cr, cairo_destroy);
  g_clear_pointer (&out->surface, cairo_surface_destroy);
  if (out->file != NULL)
    fclose (out->file);
  if (!out->done && out->tmp_path != NULL)
    g_unlink (out->tmp_path);
  g_free (out->tmp_path);
  g_free (out->path);
  g_free (out);
}
