/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * 更换照片 on the student page against the reference server (--demo): a
 * landscape PNG made here (blue, with a red 13:16 region off centre) opens
 * with the frame centred; the arrows move the frame; the frame moved onto
 * the red region is sent, and the server's photo is then a 390 × 480 JPEG
 * that is red all over, the same bytes the store and the card face got.
 * A tiny image, a text file named .jpg and a truncated PNG each get their
 * own sentence and nothing is sent (the server's photo keeps its ETag and
 * bytes). A refusal of the server (the student is gone) is shown in words
 * and the photo and the frame are kept. Saves <build>/tests/gui/photo-zh_CN.png.
 */
#define G_LOG_DOMAIN "test-student-photo"

#include "config.h"

#include <glib/gstdio.h>

#include "co-batch-text.h"
#include "co-desk-error.h"
#include "co-gui-session-util.h"
#include "co-photo-crop-area.h"
#include "co-photo-dialog.h"
#include "co-student-page.h"

#define WAIT_MS     15000
#define N_STUDENTS  2

/* The red region of the landscape photo: 13:16, off centre. */
#define PHOTO_W     800
#define PHOTO_H     600
#define RED_X       480
#define RED_Y       200
#define RED_W       260
#define RED_H       320

static CoTestSession session;
static CoClient *dev;            /* the platform's side: /dev steps, reads */
static CoStudentPage *page;
static char *edu_ids[N_STUDENTS];
static char *tmp_dir;
static gboolean chinese;

/* Helpers */

static void
create_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  *(CoStudent **) user_data = co_client_dev_create_student_finish (CO_CLIENT (object), result, &error);
  g_assert_no_error (error);
}

static void
create_students (void)
{
  dev = co_client_new (session.server->url);
  co_test_client_sign_in (dev, "demo", "demo", WAIT_MS);

  for (guint i = 0; i < N_STUDENTS; i++)
    {
      g_autofree char *name = g_strdup_printf ("照片学生%u", i);
      CoDevStudent spec = { NULL, name, CO_GENDER_FEMALE, 3, "2班", -1, NULL };
      g_autoptr(CoStudent) student = NULL;

      co_client_dev_create_student_async (dev, &spec, NULL, NULL, create_cb, &student);
      g_assert_true (co_test_wait_until (co_test_is_set_cb, &student, WAIT_MS));
      edu_ids[i] = g_strdup (co_student_get_edu_id (student));
    }
}

typedef struct
{
  gboolean  done;
  GBytes   *jpeg;
  char     *etag;
} Photo;

static void
get_photo_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Photo *photo = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (co_client_get_photo_finish (CO_CLIENT (object), result, &photo->jpeg,
                                             &photo->etag, &error));
  g_assert_no_error (error);
  photo->done = TRUE;
}

/* The server's photo of @edu_id, as the platform reads it. */
static void
server_photo (const char *edu_id,
              Photo      *photo)
{
  memset (photo, 0, sizeof *photo);
  co_client_get_photo_async (dev, edu_id, NULL, NULL, get_photo_cb, photo);
  g_assert_true (co_test_wait_until (co_test_is_true_cb, &photo->done, WAIT_MS));
}

static void
photo_clear (Photo *photo)
{
  g_clear_pointer (&photo->jpeg, g_bytes_unref);
  g_clear_pointer (&photo->etag, g_free);
}

static gboolean
page_idle_cb (gpointer user_data)
{
  return co_student_page_get_idle (page) && co_student_page_get_student (page) != NULL &&
         g_strcmp0 (co_student_page_get_edu_id (page), user_data) == 0;
}

static void
show_student (const char *edu_id)
{
  gtk_widget_activate_action (GTK_WIDGET (session.window), "win.show-student", "s", edu_id);
  g_assert_cmpstr (co_window_get_page_name (session.window), ==, "student");
  g_assert_true (co_test_wait_until (page_idle_cb, (gpointer) edu_id, WAIT_MS));
}

static GtkWidget *
page_child (const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (page), CO_TYPE_STUDENT_PAGE, name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

static CoPhotoDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, i);

      if (CO_IS_PHOTO_DIALOG (w) && gtk_widget_get_visible (w))
        return CO_PHOTO_DIALOG (w);
    }

  return NULL;
}

static gboolean
dialog_shown_cb (gpointer user_data)
{
  return find_dialog () != NULL;
}

static gboolean
dialog_gone_cb (gpointer user_data)
{
  return find_dialog () == NULL;
}

static GtkWidget *
dialog_child (CoPhotoDialog *dialog,
              const char    *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (dialog), CO_TYPE_PHOTO_DIALOG, name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

/* 更换照片… on the page. */
static CoPhotoDialog *
open_dialog (void)
{
  GtkWidget *button = page_child ("photo_button");

  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (co_test_wait_until (dialog_shown_cb, NULL, WAIT_MS));
  return find_dialog ();
}

static gboolean
dialog_idle_cb (gpointer user_data)
{
  return co_photo_dialog_get_idle (user_data);
}

static void
open_file (CoPhotoDialog *dialog,
           const char    *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  co_photo_dialog_open_file (dialog, file);
  g_assert_false (co_photo_dialog_get_idle (dialog));
  g_assert_true (co_test_wait_until (dialog_idle_cb, dialog, WAIT_MS));
}

static char *
tmp_path (const char *basename)
{
  return g_build_filename (tmp_dir, basename, NULL);
}

/* A PNG of @width × @height, blue; with @red, the red region too. */
static char *
make_png (const char *basename,
          int         width,
          int         height,
          gboolean    red)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GError) error = NULL;
  char *path = tmp_path (basename);

  gdk_pixbuf_fill (pixbuf, 0x2040c0ff);
  if (red)
    {
      g_autoptr(GdkPixbuf) region = gdk_pixbuf_new_subpixbuf (pixbuf, RED_X, RED_Y, RED_W, RED_H);

      gdk_pixbuf_fill (region, 0xdc1e1eff);
    }
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", &error, NULL));
  g_assert_no_error (error);
  return path;
}

static char *
problem_text (CoImportPhotoProblem problem,
              int                  width,
              int                  height)
{
  CoImportRow row = { 0 };

  row.photo_width = width;
  row.photo_height = height;
  return co_batch_photo_problem_to_text (problem, &row);
}

static void
assert_crop (CoPhotoDialog *dialog,
             int            x,
             int            y,
             int            width,
             int            height)
{
  CoPhotoCrop crop;

  g_assert_true (co_photo_dialog_get_crop (dialog, &crop));
  g_assert_cmpint (crop.x, ==, x);
  g_assert_cmpint (crop.y, ==, y);
  g_assert_cmpint (crop.width, ==, width);
  g_assert_cmpint (crop.height, ==, height);
}

static GdkPixbuf *
decode (GBytes *bytes,
        char  **format)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autoptr(GError) error = NULL;
  GdkPixbufFormat *f;

  g_assert_true (gdk_pixbuf_loader_write_bytes (loader, bytes, &error));
  g_assert_true (gdk_pixbuf_loader_close (loader, &error));
  g_assert_no_error (error);
  f = gdk_pixbuf_loader_get_format (loader);
  *format = gdk_pixbuf_format_get_name (f);
  return g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
}

static void
pixel (GdkPixbuf *pixbuf,
       int        x,
       int        y,
       guint8     rgb[3])
{
  const guint8 *p = gdk_pixbuf_read_pixels (pixbuf)
                    + y * gdk_pixbuf_get_rowstride (pixbuf)
                    + x * gdk_pixbuf_get_n_channels (pixbuf);

  memcpy (rgb, p, 3);
}

static gboolean
etag_changed_cb (gpointer user_data)
{
  CoStudent *student = co_student_page_get_student (page);

  return co_student_page_get_idle (page) && student != NULL &&
         co_student_get_photo_etag (student) != NULL &&
         g_strcmp0 (co_student_get_photo_etag (student), user_data) != 0;
}

/* The dialog as drawn now, for people to look at. */
static void
save_screenshot (GtkWidget  *widget,
                 const char *basename)
{
  co_test_wait_for_mapped (widget);
  co_test_wait_for_paint (widget, WAIT_MS);
  co_test_save_screenshot (widget, basename);
}

/* Tests */

static void
test_templates (void)
{
  g_autoptr(CoStudent) student = co_student_new ("12345678", "测试");
  GtkWidget *widget;
  CoPhotoCrop crop;

  widget = GTK_WIDGET (co_photo_dialog_new (NULL, dev, student));
  co_test_assert_template (widget, CO_TYPE_PHOTO_DIALOG, RESOURCE_PREFIX "/ui/co-photo-dialog.ui");
  /* Nothing chosen: nothing to send. */
  g_assert_false (gtk_widget_is_sensitive (dialog_child (CO_PHOTO_DIALOG (widget), "save_button")));
  g_assert_false (co_photo_dialog_get_crop (CO_PHOTO_DIALOG (widget), &crop));
  gtk_window_destroy (GTK_WINDOW (widget));

  /* The frame: 13:16 from its width, at least the minimum, inside. */
  crop = (CoPhotoCrop) { 700, -20, 100, 999 };
  co_photo_crop_clamp (PHOTO_W, PHOTO_H, CO_IMPORT_PHOTO_MIN_WIDTH, &crop);
  g_assert_cmpint (crop.width, ==, 260);
  g_assert_cmpint (crop.height, ==, 320);
  g_assert_cmpint (crop.x, ==, PHOTO_W - 260);
  g_assert_cmpint (crop.y, ==, 0);
  crop = (CoPhotoCrop) { 10, 10, 5000, 1 };
  co_photo_crop_clamp (PHOTO_W, PHOTO_H, CO_IMPORT_PHOTO_MIN_WIDTH, &crop);
  g_assert_cmpint (crop.width, ==, PHOTO_H * 13 / 16);
  g_assert_cmpint (crop.height, ==, crop.width * 16 / 13);
  g_assert_cmpint (crop.y + crop.height, <=, PHOTO_H);
  g_assert_cmpint (crop.x, ==, 10);
}

static void
test_sign_in (void)
{
  CoSignInDialog *dialog = co_test_session_open_sign_in (&session);

  co_test_dialog_submit (dialog, "demo", "demo");
  g_assert_true (co_test_wait_until (co_test_dialog_gone_cb, NULL, WAIT_MS));
  co_test_session_wait_synced (&session);
}

/* Files that cannot be used: each says why; nothing is sent. */
static void
test_bad_files (void)
{
  GListModel *students = co_store_get_students (co_test_session_get_store (&session));
  g_autoptr(CoStudent) student = NULL;
  g_autofree char *tiny = make_png ("tiny.png", 100, 120, FALSE);
  g_autofree char *text = tmp_path ("notes.jpg");
  g_autofree char *truncated = tmp_path ("truncated.png");
  g_autofree char *expected = NULL;
  g_autofree char *good = make_png ("good.png", PHOTO_W, PHOTO_H, TRUE);
  g_autofree char *good_data = NULL;
  g_autoptr(GError) error = NULL;
  Photo before, after;
  CoPhotoDialog *dialog;
  CoPhotoCrop crop;
  gsize good_len;

  /* A demo student with a photo on file. */
  for (guint i = 0; i < g_list_model_get_n_items (students) && student == NULL; i++)
    {
      g_autoptr(CoStudent) s = g_list_model_get_item (students, i);

      if (co_student_get_photo_etag (s) != NULL)
        student = g_steal_pointer (&s);
    }
  g_assert_nonnull (student);
  server_photo (co_student_get_edu_id (student), &before);
  g_assert_nonnull (before.jpeg);

  g_assert_true (g_file_set_contents (text, "这不是照片\n", -1, &error));
  g_assert_true (g_file_get_contents (good, &good_data, &good_len, &error));
  g_assert_true (g_file_set_contents (truncated, good_data, MIN (good_len, 200), &error));
  g_assert_no_error (error);

  show_student (co_student_get_edu_id (student));
  dialog = open_dialog ();

  /* Too small: the size and the minimum. */
  open_file (dialog, tiny);
  expected = problem_text (CO_IMPORT_PHOTO_TOO_SMALL, 100, 120);
  g_assert_cmpstr (co_photo_dialog_get_error (dialog), ==, expected);
  g_assert_nonnull (strstr (expected, "260"));
  g_assert_false (gtk_widget_is_sensitive (dialog_child (dialog, "save_button")));
  g_clear_pointer (&expected, g_free);

  /* Not an image at all. */
  open_file (dialog, text);
  expected = problem_text (CO_IMPORT_PHOTO_NOT_JPEG_OR_PNG, 0, 0);
  g_assert_cmpstr (co_photo_dialog_get_error (dialog), ==, expected);
  g_assert_false (gtk_widget_is_sensitive (dialog_child (dialog, "save_button")));
  g_clear_pointer (&expected, g_free);

  /* Damaged. */
  open_file (dialog, truncated);
  expected = problem_text (CO_IMPORT_PHOTO_CORRUPT, 0, 0);
  g_assert_cmpstr (co_photo_dialog_get_error (dialog), ==, expected);
  g_assert_false (gtk_widget_is_sensitive (dialog_child (dialog, "save_button")));
  g_assert_false (co_photo_dialog_get_crop (dialog, &crop));

  g_signal_emit_by_name (dialog_child (dialog, "cancel_button"), "clicked");
  g_assert_true (co_test_wait_until (dialog_gone_cb, NULL, WAIT_MS));

  /* Nothing reached the server. */
  server_photo (co_student_get_edu_id (student), &after);
  g_assert_cmpstr (after.etag, ==, before.etag);
  g_assert_true (g_bytes_equal (after.jpeg, before.jpeg));
  g_assert_cmpstr (co_student_get_photo_etag (co_student_page_get_student (page)), ==, before.etag);

  photo_clear (&before);
  photo_clear (&after);
}

/* The frame, centred at first, moved onto the red region and sent: the
 * server's photo is that region at the card's size. */
static void
test_crop_and_upload (void)
{
  const char *edu_id = edu_ids[0];
  g_autofree char *path = make_png ("landscape.png", PHOTO_W, PHOTO_H, TRUE);
  g_autofree char *old_etag = NULL;
  g_autofree char *format = NULL;
  g_autofree char *stored_etag = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GBytes) stored = NULL;
  GtkWidget *crop_area;
  GdkPaintable *shown;
  CoPhotoDialog *dialog;
  const guint8 *data;
  Photo photo;
  int default_w = PHOTO_H * 13 / 16;
  int default_x = (PHOTO_W - default_w) / 2;

  show_student (edu_id);
  old_etag = g_strdup (co_student_get_photo_etag (co_student_page_get_student (page)));
  dialog = open_dialog ();
  open_file (dialog, path);
  g_assert_null (co_photo_dialog_get_error (dialog));

  /* Centred, the full height; the left and right edges cut off, said. */
  assert_crop (dialog, default_x, 0, default_w, default_w * 16 / 13);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (dialog_child (dialog, "file_label"))), ==, "landscape.png");
  g_assert_cmpuint (strlen (gtk_label_get_text (GTK_LABEL (dialog_child (dialog, "hint_label")))), >, 0);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (dialog_child (dialog, "hint_label"))), "487"));
  g_assert_nonnull (gtk_picture_get_paintable (GTK_PICTURE (dialog_child (dialog, "preview_picture"))));
  g_assert_true (gtk_widget_is_sensitive (dialog_child (dialog, "save_button")));

  /* The arrow keys' action moves it, within the photo. */
  crop_area = dialog_child (dialog, "crop_area");
  g_assert_true (gtk_widget_activate_action (crop_area, "crop.move", "(ii)", 1, 0));
  assert_crop (dialog, default_x + default_w / 40, 0, default_w, default_w * 16 / 13);
  g_assert_true (gtk_widget_activate_action (crop_area, "crop.move", "(ii)", 0, -1));
  assert_crop (dialog, default_x + default_w / 40, 0, default_w, default_w * 16 / 13);

  /* Onto the red region. */
  co_photo_dialog_set_crop (dialog, &(CoPhotoCrop) { RED_X, RED_Y, RED_W, RED_H });
  assert_crop (dialog, RED_X, RED_Y, RED_W, RED_H);
  save_screenshot (GTK_WIDGET (dialog), chinese ? "photo-zh_CN.png" : "photo-C.png");

  g_signal_emit_by_name (dialog_child (dialog, "save_button"), "clicked");
  g_assert_true (co_test_wait_until (dialog_gone_cb, NULL, WAIT_MS));
  g_assert_true (co_test_wait_until (etag_changed_cb, old_etag, WAIT_MS));
  g_assert_null (co_student_page_get_error (page));

  /* The server's photo: a JPEG at the card's size, red all over. */
  server_photo (edu_id, &photo);
  g_assert_nonnull (photo.jpeg);
  g_assert_cmpstr (photo.etag, ==, co_student_get_photo_etag (co_student_page_get_student (page)));
  data = g_bytes_get_data (photo.jpeg, NULL);
  g_assert_cmpint (data[0], ==, 0xff);
  g_assert_cmpint (data[1], ==, 0xd8);
  pixbuf = decode (photo.jpeg, &format);
  g_assert_cmpstr (format, ==, "jpeg");
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, CO_PHOTO_PREP_WIDTH);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, CO_PHOTO_PREP_HEIGHT);
  for (int y = 8; y < CO_PHOTO_PREP_HEIGHT - 8; y += 47)
    for (int x = 8; x < CO_PHOTO_PREP_WIDTH - 8; x += 38)
      {
        guint8 rgb[3];

        pixel (pixbuf, x, y, rgb);
        if (rgb[0] < 180 || rgb[1] > 70 || rgb[2] > 70)
          g_error ("pixel %d,%d is %u,%u,%u, not the red region", x, y, rgb[0], rgb[1], rgb[2]);
      }

  /* The store and the card face have the same photo. */
  stored = co_store_get_photo (co_test_session_get_store (&session), edu_id, &stored_etag);
  g_assert_nonnull (stored);
  g_assert_cmpstr (stored_etag, ==, photo.etag);
  g_assert_true (g_bytes_equal (stored, photo.jpeg));
  shown = gtk_picture_get_paintable (GTK_PICTURE (page_child ("photo_picture")));
  g_assert_true (GDK_IS_TEXTURE (shown));
  g_assert_cmpint (gdk_texture_get_width (GDK_TEXTURE (shown)), ==, CO_PHOTO_PREP_WIDTH);
  g_assert_cmpint (gdk_texture_get_height (GDK_TEXTURE (shown)), ==, CO_PHOTO_PREP_HEIGHT);

  photo_clear (&photo);
}

static void
remove_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (co_client_dev_remove_student_finish (CO_CLIENT (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* The server refuses (the student left the school meanwhile): said in
 * words; the photo and the frame stay for another try. */
static void
test_server_refuses (void)
{
  const char *edu_id = edu_ids[1];
  g_autofree char *path = make_png ("refused.png", PHOTO_W, PHOTO_H, TRUE);
  CoPhotoDialog *dialog;
  gboolean removed = FALSE;

  show_student (edu_id);
  dialog = open_dialog ();
  open_file (dialog, path);
  co_photo_dialog_set_crop (dialog, &(CoPhotoCrop) { RED_X, RED_Y, RED_W, RED_H });

  co_client_dev_remove_student_async (dev, edu_id, NULL, NULL, remove_cb, &removed);
  g_assert_true (co_test_wait_until (co_test_is_true_cb, &removed, WAIT_MS));

  g_signal_emit_by_name (dialog_child (dialog, "save_button"), "clicked");
  g_assert_false (co_photo_dialog_get_idle (dialog));
  g_assert_true (co_test_wait_until (dialog_idle_cb, dialog, WAIT_MS));

  g_assert_true (find_dialog () == dialog);
  g_assert_nonnull (co_photo_dialog_get_error (dialog));
  g_test_message ("refused: %s", co_photo_dialog_get_error (dialog));
  assert_crop (dialog, RED_X, RED_Y, RED_W, RED_H);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (dialog_child (dialog, "file_label"))), ==, "refused.png");
  g_assert_true (gtk_widget_is_sensitive (dialog_child (dialog, "save_button")));

  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_true (co_test_wait_until (dialog_gone_cb, NULL, WAIT_MS));
}

int
main (int   argc,
      char *argv[])
{
  const char * const server_args[] = { "--demo", "--demo-size", "20", NULL };
  g_autoptr(GError) error = NULL;
  int ret;

  if (!co_test_session_init (&argc, &argv, &chinese))
    return CO_TEST_EXIT_SKIP;

  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);

  tmp_dir = g_dir_make_tmp ("co-photo-XXXXXX", &error);
  g_assert_no_error (error);

  co_test_session_start (&session, server_args);
  page = CO_STUDENT_PAGE (gtk_widget_get_template_child (GTK_WIDGET (session.window),
                                                         CO_TYPE_WINDOW, "student_page"));
  create_students ();

  g_test_add_func ("/gui/student-photo/templates", test_templates);
  g_test_add_func ("/gui/student-photo/sign-in", test_sign_in);
  g_test_add_func ("/gui/student-photo/bad-files", test_bad_files);
  g_test_add_func ("/gui/student-photo/crop-and-upload", test_crop_and_upload);
  g_test_add_func ("/gui/student-photo/server-refuses", test_server_refuses);

  ret = g_test_run ();

  g_clear_object (&dev);
  co_test_session_stop (&session);
  for (guint i = 0; i < N_STUDENTS; i++)
    g_free (edu_ids[i]);

  {
    g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (tmp_dir, name, NULL);

        g_remove (path);
      }
    g_rmdir (tmp_dir);
    g_free (tmp_dir);
  }

  return ret;
}
