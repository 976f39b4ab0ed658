import { mount } from 'svelte';
import App from './ui/app/App.svelte';
import { startFeatures } from './ui/app/start-features.svelte.ts';
import './ui/app/global.css';

startFeatures();

export default mount(App, { target: document.getElementById('app')! });
