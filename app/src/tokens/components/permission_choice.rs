//! The create dialog's "Permissions": Full access, Read only, or Custom with the grid. The
//! grid appears only for Custom, so the usual choice keeps the form short.

use leptos::prelude::*;

use super::permissions_grid::{GridBounds, PermissionsGrid};
use crate::access::permissions::Preset;
use crate::access::Permissions;
use crate::ui::FieldError;

/// What `create_token` is sent: nothing for full access (the server's default, so a token
/// made without a choice and one made with "Full access" are the same), else the levels.
pub(crate) fn chosen_permissions(preset: Preset, custom: Permissions) -> Option<Permissions> {
    match preset {
        Preset::FullAccess => None,
        Preset::ReadOnly => Some(Permissions::read_only()),
        Preset::Custom => Some(custom),
    }
}

/// The line under the choice: what it means within the scope being created.
fn preset_hint(preset: Preset, bounds: &GridBounds) -> String {
    let kind = bounds.scope_kind.label();
    match preset {
        Preset::FullAccess => format!("Everything {kind} tokens may do."),
        Preset::ReadOnly => format!("Reads what {kind} tokens may read; changes nothing."),
        Preset::Custom => {
            "A level for each resource. Nothing is granted until you choose it.".to_owned()
        }
    }
}

#[component]
pub(crate) fn PermissionChoice(
    preset: RwSignal<Preset>,
    /// The grid's levels; kept when switching away from Custom and back.
    custom: RwSignal<Permissions>,
    bounds: GridBounds,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    const HINT_ID: &str = "token-preset-hint";
    view! {
        <fieldset class="token-permission-choice" aria-describedby="token-permissions-error">
            <legend>"Permissions"</legend>
            <div class="token-presets">
                {Preset::ALL
                    .into_iter()
                    .map(|choice| view! {
                        <label class="radio">
                            <input
                                type="radio"
                                name="token-preset"
                                aria-describedby=HINT_ID
                                prop:checked=move || preset.get() == choice
                                on:change=move |_| preset.set(choice)
                            />
                            {choice.label()}
                        </label>
                    })
                    .collect_view()}
            </div>
            <p class="hint" id=HINT_ID>{move || preset_hint(preset.get(), &bounds)}</p>
            {move || (preset.get() == Preset::Custom).then(|| view! {
                <PermissionsGrid id="token-permission" value=custom bounds />
                <p class="hint" data-testid="permission-summary" aria-live="polite">
                    {move || format!("This token: {}", custom.get().summary())}
                </p>
            }.into_any())}
            <FieldError id="token-permissions-error" message=error />
        </fieldset>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::{Level, Resource};

    #[test]
    fn full_access_sends_nothing_and_the_others_send_their_levels() {
        let mut custom = Permissions::default();
        custom.set(Resource::Agents, Level::Write);
        assert_eq!(chosen_permissions(Preset::FullAccess, custom), None);
        assert_eq!(
            chosen_permissions(Preset::ReadOnly, custom),
            Some(Permissions::read_only())
        );
        assert_eq!(chosen_permissions(Preset::Custom, custom), Some(custom));
    }
}
