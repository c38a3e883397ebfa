/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * 发卡/领卡 at the desk, on the 核验 page: the student whose card (or
 * education ID) was presented, whether there is a card to hand out (a new
 * card 未发卡, or a reissue 待领取 delivered to the school: co_rules_check
 * decides), a button that marks it collected on the platform, and the
 * sticker check (the 一卡通号 printed on the 卡贴 must be the card's).
 *
 * Handing out needs the platform: the platform makes the new card active
 * and cancels the old one, and may refuse (a rule, a change made
 * elsewhere), so it is never queued offline; without a connection the
 * panel says so and nothing changes.
 */
#define G_LOG_DOMAIN "co-handout-panel"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "co-handout-panel.h"
#include "co-reason-text.h"
#include "co-rules.h"

struct _CoHandoutPanel
{
  GtkWidget       parent_instance;

  /* Template widgets */
  GtkBox         *main_box;
  GtkLabel       *name_label;
  GtkLabel       *state_label;
  GtkButton      *hand_out_button;
  GtkLabel       *result_label;
  GtkLabel       *sticker_label;
  GtkEntry       *sticker_entry;
  GtkLabel       *sticker_result_label;

  /* Owned references */
  CoStore        *store;
  CoClient       *client;
  CoStudent      *student;
  GCancellable   *cancellable;
  char           *card_no;      /* the card the sticker must match */
  char           *hand_out_no;  /* the card named to the platform */

  CoHandoutState  state;
  CoStickerCheck  sticker;
  gboolean        busy;
};

G_DEFINE_FINAL_TYPE (CoHandoutPanel, co_handout_panel, GTK_TYPE_WIDGET)

static const char * const sticker_classes[] = { "co-verdict-good", "co-verdict-bad" };

/* Helpers */

static void
set_label (GtkLabel   *label,
           const char *text)
{
  gtk_label_set_label (label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

static void
show_result (CoHandoutPanel *self,
             const char     *text,
             gboolean        failed)
{
  set_label (self->result_label, text);
  if (failed)
    gtk_widget_add_css_class (GTK_WIDGET (self->result_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->result_label), "error");
}

static void
set_sticker_result (CoHandoutPanel *self,
                    CoStickerCheck  check,
                    const char     *text)
{
  self->sticker = check;
  for (guint i = 0; i < G_N_ELEMENTS (sticker_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->sticker_result_label), sticker_classes[i]);
  if (check == CO_STICKER_MATCH)
    gtk_widget_add_css_class (GTK_WIDGET (self->sticker_result_label), sticker_classes[0]);
  else if (check != CO_STICKER_UNCHECKED)
    gtk_widget_add_css_class (GTK_WIDGET (self->sticker_result_label), sticker_classes[1]);
  set_label (self->sticker_result_label, text);
}

static void
update_sticker_label (CoHandoutPanel *self)
{
  g_autofree char *text = NULL;

  if (self->card_no != NULL)
    /* Translators: %s is a 一卡通号 */
    text = g_strdup_printf (_("The sticker must carry the card number %s"), self->card_no);
  else if (self->state == CO_HANDOUT_REISSUE)
    text = g_strdup (_("The new card’s number is known once it is handed out."));
  else
    text = g_strdup (_("The student has no card to check a sticker against."));

  /* Not made insensitive: it may hold the focus (the scanner types there). */
  gtk_label_set_label (self->sticker_label, text);
}

static void
set_state (CoHandoutPanel *self,
           CoHandoutState  state,
           const char     *text)
{
  self->state = state;
  gtk_label_set_label (self->state_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->hand_out_button),
                          state == CO_HANDOUT_NEW_CARD || state == CO_HANDOUT_REISSUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->hand_out_button), !self->busy);
}

static char *
describe_error (const GError *error)
{
  if (g_error_matches (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_CONFLICT))
    return g_strdup (co_reason_to_text (co_client_error_get_reason (error)));
  if (g_error_matches (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_NETWORK) ||
      g_error_matches (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_TIMEOUT) ||
      g_error_matches (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_SERVER) ||
      g_error_matches (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_TLS) ||
      g_error_matches (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_THROTTLED))
    return g_strdup (_("The card platform cannot be reached: the card was not handed out. "
                       "Handing out needs a connection; try again when it is back."));
  if (g_error_matches (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_UNAUTHORIZED))
    return g_strdup (_("Handing out needs a connection: sign in to the card platform first."));
  if (g_error_matches (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_NOT_FOUND))
    return g_strdup (_("The card platform does not know this card any more: update the roster."));
  return g_strdup (_("The card platform refused to hand out the card."));
}

/* Digits only: a QR code or a typed number may carry spaces. */
static char *
normalize_card_no (const char *text)
{
  GString *digits = g_string_new (NULL);

  for (const char *p = text; *p; p++)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_c (digits, *p);
      else if (!g_ascii_isspace (*p) && *p != '-')
        {
          g_string_free (digits, TRUE);
          return NULL;
        }
    }

  if (digits->len == 0)
    {
      g_string_free (digits, TRUE);
      return NULL;
    }

  return g_string_free (digits, FALSE);
}

/* Callbacks */

static void
hand_out_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CoHandoutPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CoStudent) student = NULL;

  student = co_client_hand_out_finish (CO_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->busy = FALSE;

  if (student == NULL)
    {
      g_autofree char *text = describe_error (error);

      g_debug ("hand-out failed: %s", error->message);
      show_result (self, text, TRUE);
      set_state (self, self->state, gtk_label_get_label (self->state_label));
      return;
    }

  {
    g_autoptr(GError) store_error = NULL;

    if (!co_store_update_student (self->store, student, &store_error))
      g_warning ("A handed-out card could not be recorded locally: %s", store_error->message);
  }

  g_set_object (&self->student, student);
  g_free (self->card_no);
  self->card_no = g_strdup (co_student_get_card_no (student));
  set_state (self, CO_HANDOUT_DONE, _("Handed out: the card is active."));
  show_result (self, NULL, FALSE);
  update_sticker_label (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->sticker_entry));
}

static void
on_hand_out_button_clicked_cb (CoHandoutPanel *self)
{
  if (self->busy || self->hand_out_no == NULL ||
      (self->state != CO_HANDOUT_NEW_CARD && self->state != CO_HANDOUT_REISSUE))
    return;

  if (self->client == NULL || !co_client_get_signed_in (self->client))
    {
      show_result (self, _("Handing out needs a connection: sign in to the card platform first."),
                   TRUE);
      return;
    }

  self->busy = TRUE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->hand_out_button), FALSE);
  show_result (self, NULL, FALSE);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  co_client_hand_out_async (self->client, self->hand_out_no, NULL, self->cancellable,
                            hand_out_cb, g_object_ref (self));
}

static void
on_sticker_entry_activate_cb (CoHandoutPanel *self)
{
  co_handout_panel_check_sticker (self, gtk_editable_get_text (GTK_EDITABLE (self->sticker_entry)));
  gtk_editable_select_region (GTK_EDITABLE (self->sticker_entry), 0, -1);
}

static void
on_sticker_entry_changed_cb (CoHandoutPanel *self)
{
  if (self->sticker == CO_STICKER_BAD_INPUT)
    set_sticker_result (self, CO_STICKER_UNCHECKED, NULL);
}

/* GObject */

static void
co_handout_panel_dispose (GObject *object)
{
  CoHandoutPanel *self = (CoHandoutPanel *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->client);
  g_clear_object (&self->student);
  g_clear_pointer (&self->card_no, g_free);
  g_clear_pointer (&self->hand_out_no, g_free);

  gtk_widget_dispose_template (GTK_WIDGET (object), CO_TYPE_HANDOUT_PANEL);

  G_OBJECT_CLASS (co_handout_panel_parent_class)->dispose (object);
}

static void
co_handout_panel_class_init (CoHandoutPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = co_handout_panel_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/co-handout-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, CoHandoutPanel, main_box);
  gtk_widget_class_bind_template_child (widget_class, CoHandoutPanel, name_label);
  gtk_widget_class_bind_template_child (widget_class, CoHandoutPanel, state_label);
  gtk_widget_class_bind_template_child (widget_class, CoHandoutPanel, hand_out_button);
  gtk_widget_class_bind_template_child (widget_class, CoHandoutPanel, result_label);
  gtk_widget_class_bind_template_child (widget_class, CoHandoutPanel, sticker_label);
  gtk_widget_class_bind_template_child (widget_class, CoHandoutPanel, sticker_entry);
  gtk_widget_class_bind_template_child (widget_class, CoHandoutPanel, sticker_result_label);
  gtk_widget_class_bind_template_callback (widget_class, on_hand_out_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_sticker_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_sticker_entry_changed_cb);
}

static void
co_handout_panel_init (CoHandoutPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_add_css_class (GTK_WIDGET (self->sticker_result_label), "co-verdict");
}

/* Public API */

void
co_handout_panel_set_store (CoHandoutPanel *self,
                            CoStore        *store)
{
  g_return_if_fail (CO_IS_HANDOUT_PANEL (self));
  g_return_if_fail (store == NULL || CO_IS_STORE (store));

  g_set_object (&self->store, store);
}

void
co_handout_panel_set_client (CoHandoutPanel *self,
                             CoClient       *client)
{
  g_return_if_fail (CO_IS_HANDOUT_PANEL (self));
  g_return_if_fail (client == NULL || CO_IS_CLIENT (client));

  g_set_object (&self->client, client);
}

void
co_handout_panel_show_student (CoHandoutPanel *self,
                               CoStudent      *student)
{
  g_autoptr(CoCard) card = NULL;
  g_autoptr(CoReissue) reissue = NULL;
  g_autofree char *state_text = NULL;
  CoHandoutState state = CO_HANDOUT_NONE;
  const char *edu_id;
  CoCardStatus card_status;

  g_return_if_fail (CO_IS_HANDOUT_PANEL (self));
  g_return_if_fail (CO_IS_STUDENT (student));
  g_return_if_fail (self->store != NULL);

  /* Another student: a request for the previous one is dropped. */
  g_cancellable_cancel (self->cancellable);
  self->busy = FALSE;

  edu_id = co_student_get_edu_id (student);
  g_set_object (&self->student, student);
  g_clear_pointer (&self->card_no, g_free);
  g_clear_pointer (&self->hand_out_no, g_free);

  card = co_store_lookup_card (self->store, edu_id);
  reissue = co_store_lookup_reissue (self->store, edu_id);
  card_status = card ? co_card_get_status (card) : co_student_get_card_status (student);

  if (card != NULL)
    self->hand_out_no = g_strdup (co_card_get_card_no (card));
  else if (co_student_get_card_no (student) != NULL)
    self->hand_out_no = g_strdup (co_student_get_card_no (student));

  if (self->hand_out_no != NULL && card_status == CO_CARD_STATUS_NOT_ISSUED)
    {
      state = CO_HANDOUT_NEW_CARD;
      state_text = g_strdup (_("New card, not issued yet: hand it out."));
      self->card_no = g_strdup (self->hand_out_no);
    }
  else if (self->hand_out_no != NULL && reissue != NULL)
    {
      CoCase c;
      CoReason reason;

      co_reissue_get_case (reissue, card_status, &c);
      reason = co_rules_check (CO_ACTION_HAND_OUT, &c);
      if (reason == CO_REASON_NONE)
        {
          state = CO_HANDOUT_REISSUE;
          /* Translators: a reissue's status and delivery, 待领取, 配送到校 */
          state_text = g_strdup_printf (_("Reissued card %s (%s): hand it out."),
                                        co_reissue_status_to_text (co_reissue_get_status (reissue)),
                                        co_delivery_to_text (co_reissue_get_delivery (reissue)));
        }
      else
        {
          state_text = g_strdup (co_reason_to_text (reason));
          if (card_status == CO_CARD_STATUS_ACTIVE)
            self->card_no = g_strdup (self->hand_out_no);
        }
    }
  else
    {
      state_text = g_strdup (self->hand_out_no != NULL
                             ? _("Nothing to hand out: the student’s card has been issued.")
                             : _("The student has no card."));
      if (self->hand_out_no != NULL && card_status == CO_CARD_STATUS_ACTIVE)
        self->card_no = g_strdup (self->hand_out_no);
    }

  gtk_label_set_label (self->name_label, co_student_get_name (student));
  set_state (self, state, state_text);
  show_result (self, NULL, FALSE);
  set_sticker_result (self, CO_STICKER_UNCHECKED, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->sticker_entry), "");
  update_sticker_label (self);
}

CoHandoutState
co_handout_panel_get_state (CoHandoutPanel *self)
{
  g_return_val_if_fail (CO_IS_HANDOUT_PANEL (self), CO_HANDOUT_NONE);

  return self->state;
}

gboolean
co_handout_panel_get_busy (CoHandoutPanel *self)
{
  g_return_val_if_fail (CO_IS_HANDOUT_PANEL (self), FALSE);

  return self->busy;
}

const char *
co_handout_panel_get_card_no (CoHandoutPanel *self)
{
  g_return_val_if_fail (CO_IS_HANDOUT_PANEL (self), NULL);

  return self->card_no;
}

CoStickerCheck
co_handout_panel_check_sticker (CoHandoutPanel *self,
                                const char     *text)
{
  g_autofree char *digits = NULL;
  g_autofree char *message = NULL;

  g_return_val_if_fail (CO_IS_HANDOUT_PANEL (self), CO_STICKER_UNCHECKED);
  g_return_val_if_fail (text != NULL, CO_STICKER_UNCHECKED);

  if (self->card_no == NULL)
    return CO_STICKER_UNCHECKED;

  if (!(digits = normalize_card_no (text)))
    {
      g_autofree char *shown = g_strstrip (g_strdup (text));

      /* Translators: %s is what was scanned or typed */
      message = g_strdup_printf (_("“%s” is not a card number."), shown);
      set_sticker_result (self, CO_STICKER_BAD_INPUT, message);
      gtk_widget_add_css_class (GTK_WIDGET (self->sticker_entry), "error");
      return self->sticker;
    }

  gtk_widget_remove_css_class (GTK_WIDGET (self->sticker_entry), "error");
  if (g_strcmp0 (digits, self->card_no) == 0)
    set_sticker_result (self, CO_STICKER_MATCH, _("Sticker Matches the Card"));
  else
    {
      /* Translators: the sticker's number, then the card's */
      message = g_strdup_printf (_("Sticker Does Not Match the Card\n%s ≠ %s"), digits,
                                 self->card_no);
      set_sticker_result (self, CO_STICKER_MISMATCH, message);
    }

  return self->sticker;
}

CoStickerCheck
co_handout_panel_get_sticker_check (CoHandoutPanel *self)
{
  g_return_val_if_fail (CO_IS_HANDOUT_PANEL (self), CO_STICKER_UNCHECKED);

  return self->sticker;
}
