import { mount } from 'svelte';
import App from './ui/app/App.svelte';
import './ui/app/global.css';

export default mount(App, { target: document.getElementById('app')! });
