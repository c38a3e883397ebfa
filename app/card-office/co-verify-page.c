/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Verification (核验): a kiosk view readable from a step away. A card put
 * on the reader, or an education ID, 一卡通号 or QR code typed or scanned
 * into the entry (a keyboard-wedge scanner types and presses Enter), gets
 * one verdict from the roster snapshot (CoVerifier, no network): the
 * student's photo, name, class, school, stage and 有效期, and the verdict
 * in colour and words.
 */
#define G_LOG_DOMAIN "co-verify-page"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "co-application.h"
#include "co-reader.h"
#include "co-reason-text.h"
#include "co-verify-page.h"

#define SNAPSHOT_REFRESH_SECONDS 30

struct _CoVerifyPage
{
  GtkWidget      parent_instance;

  CoStore       *store;
  GSettings     *settings;
  CoVerifier    *verifier;
  CoReader      *reader;
  CoVerdict     *verdict;
  CoEvent       *event;
  gboolean       has_today;
  GDate          today;
  guint          snapshot_timeout;

  /* Template widgets */
  GtkBox        *main_box;
  GtkLabel      *reader_label;
  GtkLabel      *event_label;
  GtkLabel      *snapshot_label;
  GtkEntry      *input_entry;
  GtkLabel      *input_error_label;
  GtkStack      *view_stack;
  AdwStatusPage *status_page;
  GtkBox        *verdict_box;
  GtkStack      *photo_stack;
  AdwAvatar     *avatar;
  GtkPicture    *photo_picture;
  GtkLabel      *verdict_label;
  GtkLabel      *detail_label;
  GtkLabel      *name_label;
  GtkLabel      *class_label;
  GtkLabel      *school_label;
  GtkLabel      *valid_label;
};

G_DEFINE_FINAL_TYPE (CoVerifyPage, co_verify_page, GTK_TYPE_WIDGET)

static const char * const verdict_classes[] = {
  "co-verdict-good", "co-verdict-warning", "co-verdict-bad",
};

/* Helpers */

static const char *
verdict_title (CoVerdictKind kind)
{
  switch (kind)
    {
    case CO_VERDICT_VALID: return _("Valid");
    case CO_VERDICT_LOST: return _("Reported Lost");
    case CO_VERDICT_REPLACED: return _("Replaced");
    case CO_VERDICT_CANCELLED: return _("Cancelled");
    case CO_VERDICT_EXPIRED: return _("Expired");
    case CO_VERDICT_UNKNOWN: return _("Not Registered");
    case CO_VERDICT_NOT_ON_LIST: return _("Not on This Event’s List");
    case CO_VERDICT_ALREADY_CHECKED_IN: return _("Already Checked In");
    case CO_VERDICT_BAD_INPUT:
    default:
      return _("Not a Card Number");
    }
}

static const char *
verdict_class (CoVerdictKind kind)
{
  switch (kind)
    {
    case CO_VERDICT_VALID: return verdict_classes[0];
    case CO_VERDICT_ALREADY_CHECKED_IN: return verdict_classes[1];
    default: return verdict_classes[2];
    }
}

/* Translated detail line; NULL: none. */
static char *
verdict_detail (const CoVerdict *v)
{
  switch (v->kind)
    {
    case CO_VERDICT_VALID:
      return NULL;
    case CO_VERDICT_LOST:
      return g_strdup (_("This card was reported lost: keep it."));
    case CO_VERDICT_REPLACED:
      return g_strdup (_("This is an old card: the student has been given a new one. Keep it."));
    case CO_VERDICT_CANCELLED:
      return g_strdup (_("This card has been cancelled and can no longer be used."));
    case CO_VERDICT_EXPIRED:
      return g_strdup_printf (_("The card was valid until %s."), v->valid_until);
    case CO_VERDICT_UNKNOWN:
      return g_strdup (v->input == CO_VERIFY_INPUT_EDU_ID
                       ? _("No student with this education ID is in the roster.")
                       : _("This card is not in the roster."));
    case CO_VERDICT_NOT_ON_LIST:
      return g_strdup (_("The student is not on the list of this event."));
    case CO_VERDICT_ALREADY_CHECKED_IN:
      {
        g_autoptr(GDateTime) local = g_date_time_to_local (v->checked_in_at);
        g_autofree char *time = g_date_time_format (local, "%H:%M:%S");

        return g_strdup_printf (_("Checked in already at %s."), time);
      }
    case CO_VERDICT_BAD_INPUT:
    default:
      return NULL;
    }
}

static void
set_label (GtkLabel   *label,
           const char *text)
{
  gtk_label_set_label (label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

static void
show_photo (CoVerifyPage *self,
            CoStudent    *student)
{
  g_autoptr(GBytes) jpeg = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  adw_avatar_set_text (self->avatar, student ? co_student_get_name (student) : NULL);

  if (student != NULL &&
      (jpeg = co_store_get_photo (self->store, co_student_get_edu_id (student), NULL)) &&
      (texture = gdk_texture_new_from_bytes (jpeg, NULL)))
    {
      gtk_picture_set_paintable (self->photo_picture, GDK_PAINTABLE (texture));
      gtk_stack_set_visible_child_name (self->photo_stack, "photo");
    }
  else
    {
      gtk_picture_set_paintable (self->photo_picture, NULL);
      gtk_stack_set_visible_child_name (self->photo_stack, "avatar");
    }
}

static void
show_verdict (CoVerifyPage *self,
              CoVerdict    *verdict)
{
  CoStudent *student = verdict->student;
  g_autofree char *detail = verdict_detail (verdict);

  g_clear_pointer (&self->verdict, co_verdict_free);
  self->verdict = verdict;

  for (guint i = 0; i < G_N_ELEMENTS (verdict_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->verdict_box), verdict_classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->verdict_box), verdict_class (verdict->kind));

  gtk_label_set_label (self->verdict_label, verdict_title (verdict->kind));
  gtk_stack_set_visible_child_name (self->view_stack, "verdict");
  set_label (self->detail_label, detail);
  show_photo (self, student);

  if (student != NULL)
    {
      g_autofree char *class_text =
        g_strdup_printf (_("Grade %d, %s"), co_student_get_grade (student),
                         co_student_get_class_name (student));
      g_autofree char *school_text =
        g_strdup_printf ("%s · %s", co_student_get_school (student),
                         co_stage_to_text (co_student_get_stage (student)));
      g_autofree char *valid_text =
        verdict->valid_until ? g_strdup_printf (_("Valid until %s"), verdict->valid_until) : NULL;

      set_label (self->name_label, co_student_get_name (student));
      set_label (self->class_label, class_text);
      set_label (self->school_label, school_text);
      set_label (self->valid_label, valid_text);
    }
  else
    {
      set_label (self->name_label, NULL);
      set_label (self->class_label, NULL);
      set_label (self->school_label, NULL);
      set_label (self->valid_label, NULL);
    }
}

/* At an event, every verdict is kept (durably, with its outbox entry): a
 * VALID one checks the student in, the others are refusals. */
static void
record_check_in (CoVerifyPage    *self,
                 const CoVerdict *verdict)
{
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  const char *edu_id;

  if (self->event == NULL || verdict->kind == CO_VERDICT_BAD_INPUT)
    return;

  now = g_date_time_new_now_local ();
  edu_id = verdict->student ? co_student_get_edu_id (verdict->student) : NULL;

  if (verdict->kind == CO_VERDICT_VALID)
    co_event_check_in (self->event, edu_id, now);

  if (!(key = co_store_add_check_in (self->store, co_event_get_id (self->event), edu_id,
                                     co_verdict_kind_to_string (verdict->kind), now, &error)))
    g_warning ("A check-in could not be saved: %s", error->message);
}

static void
verify (CoVerifyPage *self,
        CoVerdict    *verdict)
{
  record_check_in (self, verdict);
  show_verdict (self, verdict);
}

static void
update_reader_label (CoVerifyPage *self)
{
  gboolean connected = co_verify_page_get_reader_connected (self);

  gtk_label_set_label (self->reader_label,
                       connected ? _("Card Reader Connected") : _("No Card Reader"));
  if (connected)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->reader_label), "warning");
      gtk_widget_add_css_class (GTK_WIDGET (self->reader_label), "success");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->reader_label), "success");
      gtk_widget_add_css_class (GTK_WIDGET (self->reader_label), "warning");
    }
}

static char *
format_age (GTimeSpan age)
{
  gint64 minutes = MAX (age, 0) / G_TIME_SPAN_MINUTE;

  if (minutes < 60)
    return g_strdup_printf (ngettext ("%d minute", "%d minutes", (gulong) minutes), (int) minutes);
  if (minutes < 48 * 60)
    return g_strdup_printf (ngettext ("%d hour", "%d hours", (gulong) (minutes / 60)),
                            (int) (minutes / 60));
  return g_strdup_printf (ngettext ("%d day", "%d days", (gulong) (minutes / (24 * 60))),
                          (int) (minutes / (24 * 60)));
}

static void
update_snapshot_label (CoVerifyPage *self)
{
  g_autoptr(GDateTime) synced = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *age = NULL;
  g_autofree char *text = NULL;

  if (self->store == NULL || !(synced = co_store_get_synced_at (self->store)))
    {
      gtk_label_set_label (self->snapshot_label, _("Roster never synced"));
      return;
    }

  now = g_date_time_new_now_utc ();
  if (g_date_time_difference (now, synced) < G_TIME_SPAN_MINUTE)
    {
      gtk_label_set_label (self->snapshot_label, _("Roster updated just now"));
      return;
    }

  age = format_age (g_date_time_difference (now, synced));
  /* Translators: %s is an age, "5 minutes" */
  text = g_strdup_printf (_("Roster updated %s ago"), age);
  gtk_label_set_label (self->snapshot_label, text);
}

static void
update_event_label (CoVerifyPage *self)
{
  g_autofree char *text = NULL;

  if (self->event != NULL)
    /* Translators: event name and date */
    text = g_strdup_printf (_("Event: %s, %s"), co_event_get_name (self->event),
                            co_event_get_date (self->event));
  set_label (self->event_label, text);
}

/* Callbacks */

static void
on_reader_card_presented_cb (CoVerifyPage *self,
                             CoCardTap    *tap)
{
  if (self->verifier == NULL)
    return;

  verify (self, co_verifier_verify_uid (self->verifier, co_card_tap_get_uid (tap)));
}

static void
on_reader_state_cb (CoVerifyPage *self)
{
  update_reader_label (self);
}

static void
on_settings_reader_connstring_changed_cb (CoVerifyPage *self)
{
  g_autofree char *connstring = g_settings_get_string (self->settings, "reader-connstring");

  if (self->reader != NULL)
    co_reader_set_connstring (self->reader, *connstring ? connstring : NULL);
}

static void
on_store_changed_cb (CoVerifyPage *self)
{
  update_snapshot_label (self);
}

static gboolean
on_snapshot_timeout_cb (gpointer user_data)
{
  update_snapshot_label (CO_VERIFY_PAGE (user_data));

  return G_SOURCE_CONTINUE;
}

static void
on_input_entry_changed_cb (CoVerifyPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->input_error_label), FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->input_entry), "error");
}

static void
on_input_entry_activate_cb (CoVerifyPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->input_entry));
  CoVerdict *verdict;

  if (self->verifier == NULL)
    return;

  verdict = co_verifier_verify_text (self->verifier, text);
  if (verdict->kind == CO_VERDICT_BAD_INPUT)
    {
      g_autofree char *message =
        g_strdup_printf (_("“%s” is not an education ID (8 digits), a card number or a chip UID."),
                         g_strstrip (g_strdup (text)));

      /* Keep what was typed, to be corrected. */
      co_verdict_free (verdict);
      set_label (self->input_error_label, message);
      gtk_widget_add_css_class (GTK_WIDGET (self->input_entry), "error");
      gtk_widget_grab_focus (GTK_WIDGET (self->input_entry));
      return;
    }

  verify (self, verdict);
  /* The next scan replaces the text; it stays to be read meanwhile. */
  gtk_editable_select_region (GTK_EDITABLE (self->input_entry), 0, -1);
}

/* Set-up */

static void
start_reader (CoVerifyPage *self)
{
  if (self->reader == NULL && self->settings != NULL)
    {
      g_autofree char *connstring = g_settings_get_string (self->settings, "reader-connstring");

      self->reader = co_reader_new (*connstring ? connstring : NULL);
      g_signal_connect_object (self->reader, "card-presented",
                               G_CALLBACK (on_reader_card_presented_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->reader, "reader-found",
                               G_CALLBACK (on_reader_state_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->reader, "reader-lost",
                               G_CALLBACK (on_reader_state_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->reader, "notify::connected",
                               G_CALLBACK (on_reader_state_cb), self, G_CONNECT_SWAPPED);
    }

  if (self->reader != NULL && !co_reader_get_running (self->reader))
    co_reader_start (self->reader);

  update_reader_label (self);
}

static void
take_application_store (CoVerifyPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkApplication *app;
  CoStore *store;
  g_autoptr(GError) error = NULL;

  if (self->store != NULL || !GTK_IS_WINDOW (root))
    return;

  app = gtk_window_get_application (GTK_WINDOW (root));
  if (!CO_IS_APPLICATION (app))
    return;

  if (!(store = co_application_get_store (CO_APPLICATION (app), &error)))
    {
      g_warning ("No store for verification: %s", error->message);
      return;
    }

  co_verify_page_set_store (self, store, co_application_get_settings (CO_APPLICATION (app)));
}

/* GObject */

static void
co_verify_page_map (GtkWidget *widget)
{
  CoVerifyPage *self = CO_VERIFY_PAGE (widget);

  GTK_WIDGET_CLASS (co_verify_page_parent_class)->map (widget);

  take_application_store (self);
  start_reader (self);
  update_snapshot_label (self);
  if (self->snapshot_timeout == 0)
    self->snapshot_timeout = g_timeout_add_seconds (SNAPSHOT_REFRESH_SECONDS,
                                                    on_snapshot_timeout_cb, self);
  gtk_widget_grab_focus (GTK_WIDGET (self->input_entry));
}

static void
co_verify_page_unmap (GtkWidget *widget)
{
  CoVerifyPage *self = CO_VERIFY_PAGE (widget);

  g_clear_handle_id (&self->snapshot_timeout, g_source_remove);
  /* The reader is free for other pages (and programs) while hidden. */
  if (self->reader != NULL)
    co_reader_stop (self->reader);

  GTK_WIDGET_CLASS (co_verify_page_parent_class)->unmap (widget);
}

static void
co_verify_page_dispose (GObject *object)
{
  CoVerifyPage *self = (CoVerifyPage *)object;

  g_clear_handle_id (&self->snapshot_timeout, g_source_remove);
  if (self->reader != NULL)
    co_reader_stop (self->reader);
  g_clear_object (&self->reader);
  g_clear_object (&self->verifier);
  g_clear_object (&self->event);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->verdict, co_verdict_free);

  gtk_widget_dispose_template (GTK_WIDGET (object), CO_TYPE_VERIFY_PAGE);

  G_OBJECT_CLASS (co_verify_page_parent_class)->dispose (object);
}

static void
co_verify_page_class_init (CoVerifyPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = co_verify_page_dispose;
  widget_class->map = co_verify_page_map;
  widget_class->unmap = co_verify_page_unmap;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/co-verify-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CoVerifyPage, main_box);
  gtk_widget_class_bind_template_child (widget_class, CoVerifyPage, reader_label);
  gtk_widget_class_bind_template_child (widget_class, CoVerifyPage, event_label);
  gtk_widget_class_bind_template_child (widget_class, CoVerifyPage, snapshot_label);
  gtk_widget_class_bind_template_child (widget_class, CoVerifyPage, input_entry);
  gtk_widget_class_bind_template_child (widget_class, CoVerifyPage, input_error_label);
  gtk_widget_class_bind_template_child (widget_class, CoVerifyPage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, CoVerifyPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, CoVerifyPage, verdict_box);
  gtk_widget_class_bind_template_child (widget_class, CoVerifyPage, photo_stack);
  gtk_widget_class_bind_template_child (widget_class, CoVerifyPage, avatar);
  gtk_widget_class_bind_template_child (widget_class, CoVerifyPage, photo_picture);
  gtk_widget_class_bind_template_child (widget_class, CoVerifyPage, verdict_label);
  gtk_widget_class_bind_template_child (widget_class, CoVerifyPage, detail_label);
  gtk_widget_class_bind_template_child (widget_class, CoVerifyPage, name_label);
  gtk_widget_class_bind_template_child (widget_class, CoVerifyPage, class_label);
  gtk_widget_class_bind_template_child (widget_class, CoVerifyPage, school_label);
  gtk_widget_class_bind_template_child (widget_class, CoVerifyPage, valid_label);
  gtk_widget_class_bind_template_callback (widget_class, on_input_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_input_entry_changed_cb);
}

static void
co_verify_page_init (CoVerifyPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public API */

void
co_verify_page_set_store (CoVerifyPage *self,
                          CoStore      *store,
                          GSettings    *settings)
{
  g_return_if_fail (CO_IS_VERIFY_PAGE (self));
  g_return_if_fail (CO_IS_STORE (store));
  g_return_if_fail (G_IS_SETTINGS (settings));

  if (self->store == store)
    return;
  /* Once per page: the application's store does not change. */
  g_return_if_fail (self->store == NULL);

  self->store = g_object_ref (store);
  self->settings = g_object_ref (settings);
  self->verifier = co_verifier_new (store);
  co_verifier_set_event (self->verifier, self->event);
  if (self->has_today)
    co_verifier_set_today (self->verifier, &self->today);

  g_signal_connect_object (store, "changed", G_CALLBACK (on_store_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "changed::reader-connstring",
                           G_CALLBACK (on_settings_reader_connstring_changed_cb), self,
                           G_CONNECT_SWAPPED);

  update_snapshot_label (self);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    start_reader (self);
}

void
co_verify_page_set_event (CoVerifyPage *self,
                          CoEvent      *event)
{
  g_return_if_fail (CO_IS_VERIFY_PAGE (self));
  g_return_if_fail (event == NULL || CO_IS_EVENT (event));

  g_set_object (&self->event, event);
  if (self->verifier != NULL)
    co_verifier_set_event (self->verifier, event);
  update_event_label (self);
}

void
co_verify_page_set_today (CoVerifyPage *self,
                          const GDate  *today)
{
  g_return_if_fail (CO_IS_VERIFY_PAGE (self));

  self->has_today = today != NULL;
  if (today != NULL)
    self->today = *today;
  if (self->verifier != NULL)
    co_verifier_set_today (self->verifier, today);
}

const CoVerdict *
co_verify_page_get_verdict (CoVerifyPage *self)
{
  g_return_val_if_fail (CO_IS_VERIFY_PAGE (self), NULL);

  return self->verdict;
}

gboolean
co_verify_page_get_reader_connected (CoVerifyPage *self)
{
  g_return_val_if_fail (CO_IS_VERIFY_PAGE (self), FALSE);

  return self->reader != NULL && co_reader_get_connected (self->reader);
}
