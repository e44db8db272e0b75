/** Renderer entry: applies theme and language, then mounts the app. */
import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import { i18n } from './lib/i18n/i18n.svelte';
import { prefs } from './lib/state/prefs.svelte';

prefs.apply();
document.documentElement.lang = i18n.language;
const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');
mount(App, { target });
void prefs.load();
